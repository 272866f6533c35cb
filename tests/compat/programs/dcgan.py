"""A small DCGAN, as in the PyTorch examples repository (two optimizers, BCELoss)."""

import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

nz, ngf, ndf, nc = 8, 8, 8, 1


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, input):
        return self.main(input).view(-1, 1).squeeze(1)


def weights_init(m, rng):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        m.weight.data.copy_(
            torch.from_numpy(rng.normal(0.0, 0.02, tuple(m.weight.shape)).astype(np.float32))
        )
    elif classname.find("BatchNorm") != -1:
        m.weight.data.copy_(
            torch.from_numpy(rng.normal(1.0, 0.02, tuple(m.weight.shape)).astype(np.float32))
        )
        nn.init.constant_(m.bias.data, 0)


def main():
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    rng = np.random.default_rng(0)
    netG, netD = Generator().to(device), Discriminator().to(device)
    for m in netG.modules():
        weights_init(m, rng)
    for m in netD.modules():
        weights_init(m, rng)
    criterion = nn.BCELoss()
    real_label, fake_label = 1.0, 0.0
    optimizerD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
    errDs, errGs = [], []
    for step in range(6):
        real = torch.from_numpy(rng.random((8, 1, 16, 16), dtype=np.float32) * 2 - 1).to(device)
        noise = torch.from_numpy(rng.standard_normal((8, nz, 1, 1)).astype(np.float32))
        netD.zero_grad()
        label = torch.full((8,), real_label, dtype=torch.float, device=device)
        errD_real = criterion(netD(real), label)
        errD_real.backward()
        fake = netG(noise)
        label.fill_(fake_label)
        errD_fake = criterion(netD(fake.detach()), label)
        errD_fake.backward()
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        errG = criterion(netD(fake), label)
        errG.backward()
        optimizerG.step()
        errDs.append((errD_real + errD_fake).item())
        errGs.append(errG.item())
    return {"errD": errDs, "errG": errGs}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
