"""Convolution by hand and by F.conv2d, the output-size rule, max pooling, and a tiny CNN (D13).

Curriculum row shown here:
    D13 convolution: a small kernel slides over the image; at each position the overlapping
        values are multiplied and summed into one output value. Without padding, an
        n x n input and a k x k kernel give an (n - k + 1) x (n - k + 1) output; with
        stride s and padding p the size is floor((n + 2p - k) / s) + 1. Max pooling keeps
        the largest value of each window. A CNN stacks convolution + activation +
        pooling, then a fully connected layer; here one learns to read small synthetic
        8 x 8 digit images.

Deep-learning libraries (PyTorch, and so scratchgrad) compute the cross-correlation: the
kernel is not flipped as in the convolution of signal processing. A learned kernel does
not care which way round it is stored.

Two figures are written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    09_worked_example.png  the 4 x 4 input, the 2 x 2 kernel, the 3 x 3 output, and the
                           2 x 2 max pooling example, with their numbers;
    09_cnn_digits.png      sample digit images, and the feature maps the trained CNN's
                           convolution layer makes of one of them.

Run it with ``python examples/09_convolution.py``.
"""

import math

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
import scratchgrad.nn.functional as F  # noqa: E402, N812 - PyTorch's F
from scratchgrad import nn, optim  # noqa: E402

sg.manual_seed(0)

Grid = list[list[float]]


# ---------------------------------------------------------------------------------------
# The worked example: a 4 x 4 input and a 2 x 2 kernel, by hand
# ---------------------------------------------------------------------------------------
def conv2d_by_hand(image: Grid, kernel: Grid, stride: int = 1, padding: int = 0) -> Grid:
    """TEACHING CODE: a 2-d convolution (cross-correlation) as four nested loops.

    Slow on purpose: every output value is spelled out as multiply-and-add. F.conv2d does
    the same with one matrix product over all positions at once.
    """
    n, k = len(image), len(kernel)
    if padding:  # surround the image with `padding` rings of zeros
        width = n + 2 * padding
        zeros = [[0.0] * width for _ in range(padding)]
        middle = [[0.0] * padding + list(row) + [0.0] * padding for row in image]
        image, n = zeros + middle + [list(r) for r in zeros], width
    size = (n - k) // stride + 1  # the output-size rule (padding already added to n)
    out = [[0.0] * size for _ in range(size)]
    for i in range(size):  # output row
        for j in range(size):  # output column
            total = 0.0
            for a in range(k):  # kernel row
                for b in range(k):  # kernel column
                    total += image[i * stride + a][j * stride + b] * kernel[a][b]
            out[i][j] = total
    return out


def show(name: str, grid: Grid) -> None:
    """Print a small matrix, one row per line."""
    print(f"{name}:")
    for row in grid:
        print("   " + " ".join(f"{v:5g}" for v in row))


section("D13. The worked example: 4 x 4 input, 2 x 2 kernel")

IMAGE = [
    [1.0, 2.0, 3.0, 4.0],
    [5.0, 6.0, 7.0, 8.0],
    [9.0, 10.0, 11.0, 12.0],
    [13.0, 14.0, 15.0, 16.0],
]
KERNEL = [[1.0, 2.0], [3.0, 4.0]]
show("input (4 x 4)", IMAGE)
show("kernel (2 x 2)", KERNEL)

by_hand = conv2d_by_hand(IMAGE, KERNEL)
print("the top-left output: the kernel over the top-left 2 x 2 window [[1, 2], [5, 6]]")
print("   1*1 + 2*2 + 5*3 + 6*4 = 1 + 4 + 15 + 24 = 44")
show("output by hand (3 x 3 = (4 - 2 + 1) x (4 - 2 + 1))", by_hand)
assert by_hand == [[44, 54, 64], [84, 94, 104], [124, 134, 144]]

# F.conv2d wants a batch of images with channels, (N, C_in, H, W), and a weight
# (C_out, C_in, kH, kW): here one image with one channel, and one filter.
x = sg.tensor(IMAGE).reshape(1, 1, 4, 4)
w = sg.tensor(KERNEL).reshape(1, 1, 2, 2)
y = F.conv2d(x, w)
print(f"F.conv2d: input {tuple(x.shape)}, weight {tuple(w.shape)} -> output {tuple(y.shape)}")
show("output by F.conv2d", y[0, 0].tolist())
assert y.shape == (1, 1, 3, 3)
assert y[0, 0].tolist() == by_hand

# ---------------------------------------------------------------------------------------
# The output-size rule, with stride and padding
# ---------------------------------------------------------------------------------------
section("D13. Output size = floor((n + 2p - k) / s) + 1")


def output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """The side of the output of a k x k kernel on an n x n input."""
    return math.floor((n + 2 * padding - k) / stride) + 1


# n, k, stride, padding
SETTINGS = [
    (4, 2, 1, 0),  # the worked example: 4 - 2 + 1 = 3
    (4, 2, 2, 0),  # stride 2: every other position
    (5, 3, 1, 1),  # "same" padding: p = (k - 1) / 2 keeps the size
    (7, 3, 2, 1),
    (8, 3, 2, 0),  # (8 - 3) / 2 = 2.5, rounded down: the last column is never reached
    (6, 4, 3, 1),
    (28, 5, 1, 0),  # LeNet's first layer on MNIST: 28 -> 24
    (32, 3, 1, 1),
]
rng = np.random.default_rng(0)
print(f"{'n':>4s}{'k':>4s}{'s':>4s}{'p':>4s}   {'rule':>24s}   {'F.conv2d':>8s}   by hand")
for n, k, s, p in SETTINGS:
    image = rng.integers(-3, 4, (n, n)).astype(float).tolist()  # small integers: exact sums
    kernel = rng.integers(-2, 3, (k, k)).astype(float).tolist()
    x, w = sg.tensor(image).reshape(1, 1, n, n), sg.tensor(kernel).reshape(1, 1, k, k)
    out = F.conv2d(x, w, stride=s, padding=p)
    hand = conv2d_by_hand(image, kernel, stride=s, padding=p)
    rule = output_size(n, k, s, p)
    formula = f"({n} + {2 * p} - {k}) // {s} + 1 = {rule}"
    print(f"{n:4d}{k:4d}{s:4d}{p:4d}   {formula:>24s}   {out.shape[-1]:8d}   {len(hand)}")
    assert out.shape == (1, 1, rule, rule), (n, k, s, p)
    assert out[0, 0].tolist() == hand, (n, k, s, p)  # the values agree too

# Channels: each of C_out filters spans all C_in input channels and makes one output map.
x = sg.randn(2, 3, 5, 5)  # 2 RGB-like images of 5 x 5
w = sg.randn(4, 3, 3, 3)  # 4 filters, each 3 channels x 3 x 3
y = F.conv2d(x, w, padding=1)
print(f"\nchannels: input {tuple(x.shape)}, weight {tuple(w.shape)}, padding 1 -> {tuple(y.shape)}")
assert y.shape == (2, 4, 5, 5)

# ---------------------------------------------------------------------------------------
# Max pooling
# ---------------------------------------------------------------------------------------
section("D13. Max pooling, 2 x 2 windows with stride 2")

POOL_IN = [[1.0, 3.0, 2.0, 1.0], [4.0, 6.0, 5.0, 0.0], [7.0, 2.0, 9.0, 8.0], [1.0, 0.0, 3.0, 4.0]]
show("input (4 x 4)", POOL_IN)
# By hand: the largest value in each of the four 2 x 2 blocks.
pooled_by_hand = [
    [max(POOL_IN[2 * i + a][2 * j + b] for a in range(2) for b in range(2)) for j in range(2)]
    for i in range(2)
]
x = sg.tensor(POOL_IN).reshape(1, 1, 4, 4).requires_grad_()
pooled = F.max_pool2d(x, kernel_size=2)
show("max pooled by hand", pooled_by_hand)
show("F.max_pool2d(x, kernel_size=2)", pooled[0, 0].tolist())
assert pooled_by_hand == [[6, 5], [7, 9]]
assert pooled[0, 0].tolist() == pooled_by_hand

# The gradient flows back only to the winner of each window.
pooled.sum().backward()
show("d(sum of outputs)/d(input): 1 where the maximum was", x.grad[0, 0].tolist())
assert x.grad.sum().item() == 4 and x.grad[0, 0, 1, 1].item() == 1  # the 6 won its window

# ---------------------------------------------------------------------------------------
# A tiny CNN on synthetic digit images
# ---------------------------------------------------------------------------------------
section("D13. A tiny CNN: conv + ReLU + max pool + fully connected")

# A 5 x 7 pixel font: each digit is 7 rows of 5 bits, written in hexadecimal.
FONT = {
    0: "0E 11 13 15 19 11 0E",
    1: "04 0C 04 04 04 04 0E",
    2: "0E 11 01 02 04 08 1F",
    3: "1F 02 04 02 01 11 0E",
    4: "02 06 0A 12 1F 02 02",
    5: "1F 10 1E 01 01 11 0E",
    6: "06 08 10 1E 11 11 0E",
    7: "1F 01 02 04 08 08 08",
    8: "0E 11 11 0E 11 11 0E",
    9: "0E 11 11 0F 01 02 0C",
}
GLYPHS = np.array(
    [[[(int(row, 16) >> (4 - c)) & 1 for c in range(5)] for row in FONT[d].split()] for d in FONT],
    dtype=np.float32,
)  # (10, 7, 5)


def make_digits(n_per_class: int, seed: int) -> tuple[sg.Tensor, sg.Tensor]:
    """8 x 8 images of the digits 0-9: shifted at random, with noise added.

    Returns:
        images (N, 1, 8, 8) with N = 10 * n_per_class, and labels (N,) as int64.
    """
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), n_per_class)
    images = np.zeros((len(labels), 1, 8, 8), dtype=np.float32)
    for i, digit in enumerate(labels):
        top, left = rng.integers(0, 2), rng.integers(0, 4)  # the 7 x 5 glyph fits 2 x 4 ways
        images[i, 0, top : top + 7, left : left + 5] = GLYPHS[digit]
    images += 0.2 * rng.standard_normal(images.shape).astype(np.float32)
    return sg.tensor(images), sg.tensor(labels)


train_x, train_y = make_digits(60, seed=1)
test_x, test_y = make_digits(20, seed=2)
print(f"train images {tuple(train_x.shape)}, test images {tuple(test_x.shape)}, 10 classes")

model = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3, padding=1),  # 8 filters of 3 x 3; padding keeps 8 x 8
    nn.ReLU(),
    nn.MaxPool2d(2),  # 8 x 8 -> 4 x 4
    nn.Flatten(),  # (N, 8, 4, 4) -> (N, 128)
    nn.Linear(8 * 4 * 4, 10),  # one logit per digit
)
print("\nthe shape after each layer, for a batch of 5 images:")
h = train_x[:5]
print(f"  {str(tuple(h.shape)):14s} the input: 5 images, 1 channel, 8 x 8 pixels")
for layer in model:
    h = layer(h)
    print(f"  {str(tuple(h.shape)):14s} after {layer!r}")
assert h.shape == (5, 10)
n_params = sum(p.numel() for p in model.parameters())
print(f"parameters: conv 8 x 1 x 3 x 3 + 8, linear 10 x 128 + 10 = {n_params}")
assert n_params == 8 * 9 + 8 + 10 * 128 + 10


def accuracy(x: sg.Tensor, y: sg.Tensor) -> float:
    """The fraction of images whose largest logit is the right digit."""
    with sg.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


print(f"\nbefore training: test accuracy {accuracy(test_x, test_y):.1%} (chance: 10%)")
optimizer = optim.Adam(model.parameters(), lr=0.01)
EPOCHS, BATCH = 10, 50
shuffle = sg.Generator(0)
for epoch in range(1, EPOCHS + 1):
    order = sg.randperm(len(train_y), generator=shuffle)
    for start in range(0, len(order), BATCH):
        idx = order[start : start + BATCH]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(train_x[idx]), train_y[idx])
        loss.backward()
        optimizer.step()
    if epoch in (1, EPOCHS // 2, EPOCHS):
        print(
            f"epoch {epoch}: last batch loss {loss.item():.4f}, train accuracy "
            f"{accuracy(train_x, train_y):.1%}, test accuracy {accuracy(test_x, test_y):.1%}"
        )
test_accuracy = accuracy(test_x, test_y)
assert test_accuracy >= 0.9, test_accuracy

# ---------------------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------------------
fig, axes = plt.subplots(1, 5, figsize=(15, 3.4), layout="constrained")
panels = [
    ("input (4 x 4)", IMAGE),
    ("kernel (2 x 2)", KERNEL),
    ("conv output (3 x 3)", by_hand),
    ("pooling input (4 x 4)", POOL_IN),
    ("max pooled (2 x 2)", pooled_by_hand),
]
for ax, (title, grid) in zip(axes, panels, strict=True):
    values = np.array(grid)
    ax.imshow(values, cmap="Blues")
    for (r, c), v in np.ndenumerate(values):
        light = v < values.min() + 0.6 * (values.max() - values.min())
        ax.text(c, r, f"{v:g}", ha="center", va="center", color="k" if light else "w")
    ax.set(title=title, xticks=[], yticks=[])
axes[3].axhline(1.5, color="r", lw=2)  # the borders of the four 2 x 2 pooling windows
axes[3].axvline(1.5, color="r", lw=2)
fig.suptitle("The worked example: output[0, 0] = 1*1 + 2*2 + 5*3 + 6*4 = 44")
path = out_dir() / "09_worked_example.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")

fig, axes = plt.subplots(2, 10, figsize=(15, 3.6), layout="constrained")
for digit in range(10):
    first = int((test_y == digit).float().argmax().item())  # the first test image of it
    axes[0, digit].imshow(test_x[first, 0].numpy(), cmap="gray_r", vmin=-0.5, vmax=1.5)
    axes[0, digit].set_title(f"label {digit}")
with sg.no_grad():
    maps = model[1](model[0](test_x[:1]))[0]  # (8, 8, 8): conv + ReLU of one image
axes[1, 0].imshow(test_x[0, 0].numpy(), cmap="gray_r", vmin=-0.5, vmax=1.5)
axes[1, 0].set_title("this image ->")
for f in range(8):
    axes[1, f + 1].imshow(maps[f].numpy(), cmap="viridis")
    axes[1, f + 1].set_title(f"feature map {f + 1}")
axes[1, 9].axis("off")
for ax in axes.flat:
    ax.set(xticks=[], yticks=[])
fig.suptitle(
    f"Synthetic 8 x 8 digits (top); the feature maps of the trained CNN's 8 filters for one "
    f"of them (bottom). Test accuracy {test_accuracy:.0%}"
)
path = out_dir() / "09_cnn_digits.png"
fig.savefig(path, dpi=100)
plt.close(fig)
print(f"saved {path}")
