"""A word-level LSTM language model with a checkpoint saved and loaded, as the PyTorch
examples' word_language_model does (embedding, LSTM, decoder, clip_grad_norm_)."""

import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, dropout=0.0):
        super(RNNModel, self).__init__()
        self.drop = nn.Dropout(dropout)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=dropout)
        self.decoder = nn.Linear(nhid, ntoken)
        self.nlayers, self.nhid = nlayers, nhid

    def forward(self, input, hidden):
        emb = self.drop(self.encoder(input))
        output, hidden = self.rnn(emb, hidden)
        decoded = self.decoder(self.drop(output)).view(-1, self.decoder.out_features)
        return F.log_softmax(decoded, dim=1), hidden

    def init_hidden(self, bsz):
        weight = next(self.parameters())
        return (
            weight.new_zeros(self.nlayers, bsz, self.nhid),
            weight.new_zeros(self.nlayers, bsz, self.nhid),
        )


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


def main():
    rng = np.random.default_rng(0)
    device = torch.device("cpu")
    ntokens, bptt, bsz = 20, 5, 4
    data = torch.from_numpy(rng.integers(0, ntokens, (41, bsz))).to(device)
    model = RNNModel(ntokens, 8, 16, 2).to(device)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.uniform(-0.1, 0.1, tuple(p.shape)).astype(np.float32)))
    criterion = nn.NLLLoss()
    lr, losses = 2.0, []
    hidden = model.init_hidden(bsz)
    model.train()
    for i in range(0, data.size(0) - 1, bptt):
        seq_len = min(bptt, len(data) - 1 - i)
        inp, target = data[i : i + seq_len], data[i + 1 : i + 1 + seq_len].view(-1)
        model.zero_grad()
        hidden = repackage_hidden(hidden)
        output, hidden = model(inp, hidden)
        loss = criterion(output, target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        losses.append(loss.item())
    path = os.path.join(os.environ.get("COMPAT_TMP", "."), "model.pt")
    with open(path, "wb") as f:
        torch.save({"state": model.state_dict(), "epoch": 1, "lr": lr}, f)
    with open(path, "rb") as f:
        ckpt = torch.load(f, map_location="cpu")
    fresh = RNNModel(ntokens, 8, 16, 2)
    fresh.load_state_dict(ckpt["state"])
    fresh.eval()
    with torch.no_grad():
        out, _ = fresh(data[:bptt], fresh.init_hidden(bsz))
        eval_loss = criterion(out, data[1 : bptt + 1].reshape(-1)).item()
    return {"losses": losses, "eval_loss": [eval_loss], "epoch": [ckpt["epoch"]]}


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
