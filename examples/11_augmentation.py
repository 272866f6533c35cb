"""Inputs in the range a model expects, and augmented copies of them (curriculum E2, E3).

Curriculum rows shown here:
    E3  normalisation: raw pixel values become numbers in [0, 1] (divide by the largest
        possible value: 16 for these digits, 255 for 8-bit images, which ``ToTensor``
        does), then, if wanted, mean 0 and standard deviation 1 (``Normalize``);
    E2  augmentation: random rotation, zoom (``RandomResizedCrop``), flips and noise make
        a new variant of a training image every time it is drawn, so a model sees more
        variety than the data set holds. Each transform takes one image (C, H, W); with a
        DataLoader they run per sample, ``OnInput`` applying them to the image of each
        (image, label) pair.

The images are scikit-learn's handwritten digits (8 x 8 pixels, values 0-16); if that
package cannot load them, digit-like images are drawn here instead. One figure is written
to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default examples/out/):
    11_augmented_digits.png  each row a digit: the original, then each transform alone,
                             then two draws of the whole pipeline.

Run it with ``python examples/11_augmentation.py``.
"""

import textwrap

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

import scratchgrad as sg  # noqa: E402
from scratchgrad.data import DataLoader, TensorDataset  # noqa: E402
from scratchgrad.data import transforms as T  # noqa: E402, N812 - torchvision's T

sg.manual_seed(0)

# 3 x 5 glyphs for the fallback digits ("#" = ink), used only without scikit-learn.
GLYPHS = {
    0: ["###", "#.#", "#.#", "#.#", "###"],
    1: [".#.", "##.", ".#.", ".#.", "###"],
    2: ["###", "..#", "###", "#..", "###"],
    3: ["###", "..#", ".##", "..#", "###"],
    4: ["#.#", "#.#", "###", "..#", "..#"],
    5: ["###", "#..", "###", "..#", "###"],
    6: ["###", "#..", "###", "#.#", "###"],
    7: ["###", "..#", ".#.", ".#.", ".#."],
    8: ["###", "#.#", "###", "#.#", "###"],
    9: ["###", "#.#", "###", "..#", "###"],
}


def load_digit_images() -> tuple[np.ndarray, np.ndarray, str]:
    """Digit images (N, 8, 8) with raw values 0..16, their labels (N,), and the source."""
    try:
        from sklearn.datasets import load_digits

        digits = load_digits()
        return digits.images, digits.target, "scikit-learn's digits"
    except Exception as err:  # noqa: BLE001 - any failure: draw our own
        print(f"scikit-learn's digits unavailable ({err}); drawing digit-like images")
    rng = np.random.default_rng(0)
    digit_labels = np.arange(100) % 10  # ten of each digit
    images = np.zeros((100, 8, 8))
    for i, digit in enumerate(digit_labels):
        rows = GLYPHS[int(digit)]
        glyph = np.array([[16.0 if ch == "#" else 0.0 for ch in row] for row in rows])
        top, left = rng.integers(0, 4), rng.integers(0, 6)  # somewhere in the 8 x 8 frame
        images[i, top : top + 5, left : left + 3] = glyph
    return images, digit_labels, "drawn digit-like images"


def ascii_art(img: np.ndarray) -> list[str]:
    """An (8, 8) image in [0, 1] as text: darker characters for more ink."""
    shades = " .:-=+*#%@"
    return ["".join(shades[min(int(v * 10), 9)] for v in row) for row in img]


# ---------------------------------------------------------------------------------------
# E3. Pixels to [0, 1], then mean 0 / std 1
# ---------------------------------------------------------------------------------------
section("E3. Normalisation: pixel values into the range a model expects")

raw, labels, source = load_digit_images()
print(f"{source}: {raw.shape[0]} images of {raw.shape[1]} x {raw.shape[2]} pixels")
print(f"raw pixel values: {raw.min():g} .. {raw.max():g} (ink intensity 0-16), dtype {raw.dtype}")
pixels = (raw / 16.0).astype(np.float32)[:, None]  # (N, 1, 8, 8): one channel, in [0, 1]
print(f"divided by 16:    {pixels.min():g} .. {pixels.max():g}, shape {pixels.shape} (N, C, H, W)")
assert pixels.dtype == np.float32 and pixels.min() == 0.0 and pixels.max() == 1.0

# An 8-bit image (0..255, the usual file format) gets the same treatment from ToTensor.
as_uint8 = np.round(raw[0] * 255 / 16).astype(np.uint8)  # (8, 8) uint8, like a PNG
tensor = T.ToTensor()(as_uint8)
print(
    f"ToTensor on a uint8 {as_uint8.shape} image (0..{as_uint8.max()}): "
    f"{tensor.dtype} {tensor.shape}, values {tensor.min().item():g} .. {tensor.max().item():g}"
)
assert tensor.shape == (1, 8, 8) and tensor.dtype == sg.float32
np.testing.assert_allclose(tensor.numpy(), pixels[0], atol=1 / 255)

# Standardising: subtract the data set's mean, divide by its standard deviation.
mean, std = float(pixels.mean()), float(pixels.std())
standardised = np.stack([T.Normalize([mean], [std])(p) for p in pixels])
new_mean = round(float(standardised.mean()), 4) + 0.0  # + 0.0: no "-0.0000"
print(
    f"Normalize(mean={mean:.4f}, std={std:.4f}): now mean {new_mean:+.4f}, "
    f"std {standardised.std():.4f}"
)
assert abs(standardised.mean()) < 1e-4 and abs(standardised.std() - 1) < 1e-4

# ---------------------------------------------------------------------------------------
# E2. Augmentation, one transform at a time
# ---------------------------------------------------------------------------------------
section("E2. Augmentation: rotation, zoom, flips, noise")

gen = sg.Generator(0)  # one seeded generator for every transform: reproducible draws
transforms = {
    "rotation": T.RandomRotation(20, generator=gen),
    "zoom": T.RandomResizedCrop(8, scale=(0.5, 0.9), generator=gen),
    "h-flip": T.RandomHorizontalFlip(p=1.0, generator=gen),
    "v-flip": T.RandomVerticalFlip(p=1.0, generator=gen),
    "noise": T.GaussianNoise(std=0.1, clip=True, generator=gen),
}
explain = {
    "rotation": "turns the image by an angle drawn from [-20, 20] degrees about its centre, "
    "counter-clockwise for positive angles; corners it uncovers become 0",
    "zoom": "cuts out a box of 50-90% of the area (aspect 3:4 to 4:3) at a random place "
    "and stretches it back to 8 x 8 (bilinear): the digit looks bigger and shifted",
    "h-flip": "mirrors left-right (here always; usually with probability 0.5)",
    "v-flip": "mirrors top-bottom (here always)",
    "noise": "adds N(0, 0.1^2) to every pixel, then clips back into [0, 1]",
}
seven = int(np.argmax(labels == 7))  # a digit whose orientation shows
digit = pixels[seven]  # (1, 8, 8)
for name, transform in transforms.items():
    out = transform(digit)
    print(f"{name:8s} {transform!r}")
    print(textwrap.fill(explain[name], 88, initial_indent=" " * 9, subsequent_indent=" " * 9))
    assert out.shape == (1, 8, 8) and out.dtype == np.float32, (name, out.shape, out.dtype)
    assert out.min() >= -1e-6 and out.max() <= 1 + 1e-6, name  # still in [0, 1]
np.testing.assert_array_equal(transforms["h-flip"](digit), digit[:, :, ::-1])
np.testing.assert_array_equal(transforms["v-flip"](digit), digit[:, ::-1, :])

# The direction convention, worked: a quarter turn counter-clockwise moves the top row
# to the left column; for a square image it is exactly NumPy's rot90.
quarter = T.rotate(digit, 90)
np.testing.assert_allclose(quarter, np.rot90(digit, 1, axes=(1, 2)), atol=1e-6)
print(f"\nlabel {labels[seven]}, and rotate(image, 90) (counter-clockwise):")
for left, right in zip(ascii_art(digit[0]), ascii_art(quarter[0]), strict=True):
    print(f"   |{left}|   |{right}|")

noisy = T.GaussianNoise(std=0.1, generator=sg.Generator(1))(np.full((1, 100, 100), 0.5))
print(f"\nnoise on a flat grey image: measured std {noisy.std():.4f} (asked 0.1)")
assert abs(noisy.std() - 0.1) < 0.005

print(
    "\nFlips change what some digits mean (a mirrored 2 is no 2; an upside-down 6 looks like a"
    "\n9), so for digits keep rotations small and leave flips out; for photos of objects a"
    "\nleft-right flip is usually safe. Choose augmentations that keep the label true."
)

# ---------------------------------------------------------------------------------------
# A pipeline inside a DataLoader
# ---------------------------------------------------------------------------------------
section("E2. The whole pipeline, per sample, inside a DataLoader")


def pipeline(seed: int) -> T.Compose:
    """Label-preserving augmentation for digits, with its own seeded generator."""
    g = sg.Generator(seed)
    return T.Compose(
        [
            T.RandomRotation(15, generator=g),
            T.RandomResizedCrop(8, scale=(0.6, 1.0), generator=g),
            T.GaussianNoise(std=0.05, clip=True, generator=g),
        ]
    )


print(pipeline(0))
dataset = TensorDataset(pixels[:64], labels[:64])


def first_batch(seed: int) -> tuple[sg.Tensor, sg.Tensor]:
    """The first batch of a loader shuffled and augmented from ``seed``."""
    augment = T.OnInput(pipeline(seed))
    gen = sg.Generator(seed)  # without one, the order follows the global generator
    loader = DataLoader(dataset, batch_size=16, shuffle=True, generator=gen, transform=augment)
    images, targets = next(iter(loader))
    return images, targets


batch, targets = first_batch(0)
print(f"a batch: images {batch.shape} {batch.dtype}, labels {targets.shape} {targets.dtype}")
print(f"pixel range after augmentation: {batch.min().item():.3f} .. {batch.max().item():.3f}")
assert batch.shape == (16, 1, 8, 8) and targets.shape == (16,) and batch.dtype == sg.float32
assert batch.min().item() >= 0.0 and batch.max().item() <= 1.0
again, _ = first_batch(0)
other, _ = first_batch(1)
assert np.array_equal(again.numpy(), batch.numpy())  # same seed: the same augmented batch
assert not np.array_equal(other.numpy(), batch.numpy())  # another seed: other variants
print("same seed -> identical augmented batch; another seed -> different variants")

# ---------------------------------------------------------------------------------------
# The figure
# ---------------------------------------------------------------------------------------
rows = [int(np.argmax(labels == d)) for d in range(6)]  # the first image of digits 0..5
columns = ["original", *transforms, "pipeline", "pipeline again"]
fig, axes = plt.subplots(len(rows), len(columns), figsize=(13, 11), layout="constrained")
aug = pipeline(2)
for r, idx in enumerate(rows):
    image = pixels[idx]
    panels = [image, *(t(image) for t in transforms.values()), aug(image), aug(image)]
    for c, panel in enumerate(panels):
        assert panel.shape == (1, 8, 8) and panel.min() >= -1e-6 and panel.max() <= 1 + 1e-6
        ax = axes[r, c]
        ax.imshow(panel[0], cmap="gray_r", vmin=0, vmax=1)
        ax.set(xticks=[], yticks=[])
        if r == 0:
            ax.set_title(columns[c])
    axes[r, 0].set_ylabel(f"label {labels[idx]}")
fig.suptitle("Augmented digits: each transform alone, then the pipeline drawn twice")
path = out_dir() / "11_augmented_digits.png"
fig.savefig(path, dpi=80)
plt.close(fig)
print(f"saved {path}")
print("\nAll augmentation checks pass.")
