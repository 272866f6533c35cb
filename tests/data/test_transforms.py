"""Transforms: each checked against NumPy, a slow reference or torch, plus determinism."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812 - PyTorch's F

import scratchgrad as sg
from scratchgrad.data import DataLoader, TensorDataset
from scratchgrad.data import transforms as T  # noqa: N812 - torchvision's T
from scratchgrad.errors import ShapeError


def _img(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).random(shape, dtype=np.float32)


# ------------------------------------------------------------------------------ flips
@pytest.mark.parametrize("shape", [(3, 5, 7), (5, 7)])
def test_flips_match_np_flip(shape: tuple[int, ...]) -> None:
    x = _img(*shape)
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=1.0)(x), np.flip(x, -1))
    np.testing.assert_array_equal(T.RandomVerticalFlip(p=1.0)(x), np.flip(x, -2))
    np.testing.assert_array_equal(T.RandomHorizontalFlip(p=0.0)(x), x)
    np.testing.assert_array_equal(T.RandomVerticalFlip(p=0.0)(x), x)


def test_flip_keeps_the_kind_and_leaves_the_input_alone() -> None:
    x = _img(2, 4, 4)
    before = x.copy()
    out = T.RandomHorizontalFlip(p=1.0)(sg.tensor(x))
    assert isinstance(out, sg.Tensor) and out.dtype == sg.float32
    np.testing.assert_array_equal(out.numpy(), np.flip(x, -1))
    assert isinstance(T.RandomVerticalFlip(p=1.0)(x), np.ndarray)
    np.testing.assert_array_equal(x, before)


def test_flip_happens_with_probability_p() -> None:
    x = np.arange(4.0).reshape(1, 2, 2)
    flip = T.RandomHorizontalFlip(p=0.3, generator=sg.Generator(0))
    flipped = [not np.array_equal(flip(x), x) for _ in range(4000)]
    assert abs(np.mean(flipped) - 0.3) < 0.03


# -------------------------------------------------------------------------- Normalize
def test_normalize_matches_the_formula() -> None:
    x = _img(3, 4, 5)
    mean, std = [0.1, 0.5, 0.9], [0.2, 0.3, 0.4]
    out = T.Normalize(mean, std)(x)
    expected = (x - np.array(mean)[:, None, None]) / np.array(std)[:, None, None]
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    assert out.dtype == np.float32
    gray = _img(4, 5)
    np.testing.assert_allclose(T.Normalize(0.5, 0.25)(gray), (gray - 0.5) / 0.25, rtol=1e-6)


def test_normalize_refuses_bad_input() -> None:
    with pytest.raises(ValueError, match="std must not be zero"):
        T.Normalize([0.0, 0.0], [1.0, 0.0])
    with pytest.raises(ShapeError, match="one mean per channel"):
        T.Normalize([0.1, 0.2], [1.0])(_img(3, 2, 2))
    with pytest.raises(TypeError, match="float image"):
        T.Normalize([0.5], [0.5])(np.zeros((1, 2, 2), dtype=np.uint8))


# --------------------------------------------------------------------------- ToTensor
@pytest.mark.parametrize(
    ("shape", "to_chw"),
    [
        ((5, 6), lambda a: a[None]),
        ((5, 6, 3), lambda a: a.transpose(2, 0, 1)),
        ((5, 6, 1), lambda a: a.transpose(2, 0, 1)),
        ((3, 5, 6), lambda a: a),
        ((1, 5, 6), lambda a: a),
    ],
)
def test_to_tensor_layouts_dtype_and_scale(shape: tuple[int, ...], to_chw: object) -> None:
    pixels = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    pixels.flat[0], pixels.flat[1] = 0, 255
    out = T.ToTensor()(pixels)
    expected = to_chw(pixels).astype(np.float64) / 255  # type: ignore[operator]
    assert isinstance(out, sg.Tensor) and out.dtype == sg.float32
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert out.numpy().min() == 0.0 and out.numpy().max() == 1.0


def test_to_tensor_override_unscaled_floats_and_errors() -> None:
    pixels = np.zeros((3, 4, 3), dtype=np.uint8)  # ambiguous: read as (H, W, C) by default
    assert T.ToTensor()(pixels).shape == (3, 3, 4)
    assert T.ToTensor(channels_last=False)(pixels).shape == (3, 4, 3)
    floats = np.full((2, 2), 7.0)
    out = T.ToTensor()(floats)
    assert out.dtype == sg.float32 and out.tolist() == [[[7.0, 7.0], [7.0, 7.0]]]
    with pytest.raises(ShapeError, match="ndim=4"):
        T.ToTensor()(np.zeros((1, 1, 2, 2), dtype=np.uint8))


# --------------------------------------------------------------------------- rotation
def _rotate_reference(img: np.ndarray, angle: float) -> np.ndarray:
    """TEACHING CODE: rotation pixel by pixel, in maths coordinates (y pointing up)."""
    c, h, w = img.shape
    cy, cx = (h - 1) / 2, (w - 1) / 2
    t = math.radians(angle)
    out = np.zeros_like(img, dtype=np.float64)
    for i in range(h):
        for j in range(w):
            x, y = j - cx, cy - i  # y up
            # the point that a counter-clockwise rotation by t carries to (x, y)
            xs, ys = math.cos(t) * x + math.sin(t) * y, -math.sin(t) * x + math.cos(t) * y
            si, sj = cy - ys, cx + xs
            i0, j0 = math.floor(si), math.floor(sj)
            for ii, wi in ((i0, 1 - (si - i0)), (i0 + 1, si - i0)):
                for jj, wj in ((j0, 1 - (sj - j0)), (j0 + 1, sj - j0)):
                    if 0 <= ii < h and 0 <= jj < w:
                        out[:, i, j] += wi * wj * img[:, ii, jj]
    return out


def _rotate_torch(img: np.ndarray, angle: float) -> np.ndarray:
    """torchvision's tensor path: affine_grid + grid_sample, in normalised coordinates."""
    c, h, w = img.shape
    t = math.radians(angle)
    theta = torch.tensor(
        [[[math.cos(t), -math.sin(t) * h / w, 0.0], [math.sin(t) * w / h, math.cos(t), 0.0]]]
    )
    grid = F.affine_grid(theta, [1, c, h, w], align_corners=False)
    x = torch.from_numpy(img)[None]
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)[
        0
    ].numpy()


@pytest.mark.parametrize("size", [6, 7])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_rotation_by_right_angles_is_rot90(size: int, k: int) -> None:
    x = _img(2, size, size)
    np.testing.assert_allclose(T.rotate(x, 90 * k), np.rot90(x, k, axes=(1, 2)), atol=1e-5)
    np.testing.assert_allclose(T.rotate(x, -90 * k), np.rot90(x, -k, axes=(1, 2)), atol=1e-5)


def test_rotation_is_counter_clockwise() -> None:
    x = np.zeros((5, 5), dtype=np.float32)
    x[2, 4] = 1.0  # right of the centre
    out = T.rotate(x, 90)
    assert np.unravel_index(np.argmax(out), out.shape) == (0, 2)  # now above it
    np.testing.assert_allclose(T.rotate(_img(3, 4, 6), 180), _img(3, 4, 6)[:, ::-1, ::-1], 1e-5)


def test_rotation_by_zero_is_identity() -> None:
    x = _img(3, 5, 8)
    np.testing.assert_array_equal(T.rotate(x, 0.0), x)
    np.testing.assert_array_equal(T.RandomRotation((0, 0))(sg.tensor(x)).numpy(), x)


@pytest.mark.parametrize("angle", [17.0, -33.5, 45.0, 123.0])
@pytest.mark.parametrize("shape", [(2, 9, 9), (1, 6, 10)])
def test_rotation_matches_references(angle: float, shape: tuple[int, ...]) -> None:
    x = _img(*shape, seed=3)
    out = T.rotate(x, angle)
    assert out.shape == x.shape and out.dtype == np.float32
    np.testing.assert_allclose(out, _rotate_reference(x, angle), atol=1e-5)
    np.testing.assert_allclose(out, _rotate_torch(x, angle), atol=1e-5)


def test_rotation_fill_blends_by_coverage() -> None:
    x = _img(2, 8, 8)
    fill = [0.25, 0.75]
    out = T.rotate(x, 30, fill=fill)
    mask = _rotate_torch(np.ones((1, 8, 8), dtype=np.float32), 30)
    expected = _rotate_torch(x, 30) * mask + (1 - mask) * np.array(fill)[:, None, None]
    np.testing.assert_allclose(out, expected, atol=1e-5)
    assert out[0, 0, 0] == pytest.approx(0.25) and out[1, 0, 0] == pytest.approx(0.75)
    with pytest.raises(ValueError, match="fill needs 1 or 2 values"):
        T.rotate(x, 30, fill=[0.0, 0.0, 0.0])


def test_rotation_of_uint8_rounds_back() -> None:
    x = np.random.default_rng(0).integers(0, 256, (1, 7, 7), dtype=np.uint8)
    out = T.rotate(x, 20)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, np.round(T.rotate(x.astype(np.float32), 20)))


def test_random_angles_stay_in_range(monkeypatch: pytest.MonkeyPatch) -> None:
    angles: list[float] = []
    real = T.rotate

    def spy(img: np.ndarray, angle: float, fill: T.Fill = 0.0) -> np.ndarray:
        angles.append(angle)
        return real(img, angle, fill)

    monkeypatch.setattr(T, "rotate", spy)
    rot = T.RandomRotation((-10, 25), generator=sg.Generator(0))
    for _ in range(300):
        rot(_img(1, 4, 4))
    assert len(angles) == 300 and min(angles) >= -10 and max(angles) <= 25
    assert min(angles) < -9 and max(angles) > 24  # the whole range is used
    assert T.RandomRotation(15).degrees == (-15.0, 15.0)
    with pytest.raises(ValueError, match="must be >= 0"):
        T.RandomRotation(-5)
    with pytest.raises(ValueError, match=r"\(min, max\)"):
        T.RandomRotation((10, -10))


# ---------------------------------------------------------------- resize and zoom
@pytest.mark.parametrize(("src", "dst"), [((5, 7), (12, 9)), ((16, 12), (5, 7)), ((3, 3), (3, 3))])
def test_resize_matches_torch_interpolate(src: tuple[int, int], dst: tuple[int, int]) -> None:
    x = _img(3, *src)
    expected = F.interpolate(
        torch.from_numpy(x)[None], size=dst, mode="bilinear", align_corners=False, antialias=False
    )[0].numpy()
    out = T.resize(x, dst)
    assert out.shape == (3, *dst) and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, atol=1e-6)
    np.testing.assert_allclose(T.resize(x[0], dst), expected[0], atol=1e-6)


def test_crop_boxes_stay_inside_and_in_range() -> None:
    h, w = 400, 300
    img = np.zeros((h, w))
    scale, ratio = (0.1, 0.35), (0.5, 2.0)  # every box fits: no draw is rejected
    gen, log_ratios = sg.Generator(0), []
    for _ in range(500):
        i, j, bh, bw = T.RandomResizedCrop.get_params(img, scale, ratio, gen)
        assert i >= 0 and i + bh <= h and j >= 0 and j + bw <= w and bh > 0 and bw > 0
        assert scale[0] * 0.98 <= bh * bw / (h * w) <= scale[1] * 1.02
        assert ratio[0] * 0.95 <= bw / bh <= ratio[1] * 1.05
        log_ratios.append(math.log(bw / bh))
    assert abs(np.median(log_ratios)) < 0.1  # log-uniform: as often wide as tall


def test_crop_falls_back_to_the_centre() -> None:
    # a 10 x 10 image cannot hold a whole-area box 2-3 times wider than tall
    box = T.RandomResizedCrop.get_params(np.zeros((10, 10)), (1.0, 1.0), (2.0, 3.0))
    assert box == (2, 0, 5, 10)


def test_random_resized_crop_is_resize_of_the_box() -> None:
    x = _img(2, 20, 16)
    crop = T.RandomResizedCrop((8, 6), scale=(0.1, 0.5), generator=sg.Generator(4))
    boxes = sg.Generator(4)  # the same draws as the transform's
    for _ in range(5):
        i, j, h, w = T.RandomResizedCrop.get_params(x, crop.scale, crop.ratio, boxes)
        expected = F.interpolate(
            torch.from_numpy(x[:, i : i + h, j : j + w].copy())[None],
            size=(8, 6),
            mode="bilinear",
            align_corners=False,
            antialias=False,
        )[0].numpy()
        np.testing.assert_allclose(crop(x), expected, atol=1e-6)
    assert T.RandomResizedCrop(5)(sg.tensor(x)).shape == (2, 5, 5)
    with pytest.raises(ValueError, match="scale and ratio"):
        T.RandomResizedCrop(5, scale=(0.9, 0.1))


# ---------------------------------------------------------------------------- noise
def test_gaussian_noise_statistics() -> None:
    x = _img(1, 300, 300)
    out = T.GaussianNoise(mean=0.2, std=0.5, generator=sg.Generator(0))(x)
    noise = out - x
    assert out.dtype == np.float32 and out.shape == x.shape
    assert abs(noise.mean() - 0.2) < 0.01 and abs(noise.std() - 0.5) < 0.01
    clipped = T.GaussianNoise(std=0.5, clip=(0.1, 0.9))(x)
    assert clipped.min() == pytest.approx(0.1) and clipped.max() == pytest.approx(0.9)
    unit = T.GaussianNoise(std=0.5, clip=True)(sg.tensor(x.astype(np.float64)))
    assert unit.dtype == sg.float64 and unit.numpy().min() >= 0.0 and unit.numpy().max() <= 1.0
    with pytest.raises(TypeError, match="float image"):
        T.GaussianNoise()(np.zeros((2, 2), dtype=np.uint8))


# ------------------------------------------------------------------- determinism, loader
def _pipeline(gen: sg.Generator | None) -> T.Compose:
    return T.Compose(
        [
            T.RandomRotation(30, generator=gen),
            T.RandomResizedCrop(8, scale=(0.5, 1.0), generator=gen),
            T.RandomHorizontalFlip(generator=gen),
            T.RandomVerticalFlip(generator=gen),
            T.GaussianNoise(std=0.05, generator=gen),
        ]
    )


def test_same_seed_same_augmentations_other_seed_differs() -> None:
    x = _img(1, 8, 8)
    pipelines = [_pipeline(sg.Generator(seed)) for seed in (7, 7, 8)]
    runs = [[aug(x) for _ in range(4)] for aug in pipelines]
    for a, b in zip(runs[0], runs[1], strict=True):
        np.testing.assert_array_equal(a, b)
    assert not any(np.array_equal(a, c) for a, c in zip(runs[0], runs[2], strict=True))
    first, second = runs[0][:2]
    assert not np.array_equal(first, second)  # each call draws afresh


def test_the_global_generator_is_used_without_one() -> None:
    x = _img(1, 8, 8)
    sg.manual_seed(11)
    a = _pipeline(None)(x)
    sg.manual_seed(11)
    np.testing.assert_array_equal(_pipeline(None)(x), a)


def test_data_loader_with_on_input() -> None:
    images = _img(10, 1, 6, 6)
    labels = np.arange(10)
    ds = TensorDataset(images, labels)
    fixed = T.OnInput(T.Compose([T.RandomHorizontalFlip(p=1.0), T.Normalize([0.5], [0.25])]))
    batches = list(DataLoader(ds, batch_size=4, transform=fixed))
    x = np.concatenate([b[0].numpy() for b in batches])
    np.testing.assert_allclose(x, (np.flip(images, -1) - 0.5) / 0.25, rtol=1e-6)
    assert np.concatenate([b[1].numpy() for b in batches]).tolist() == labels.tolist()
    assert batches[0][0].shape == (4, 1, 6, 6) and batches[0][0].dtype == sg.float32

    def epoch(seed: int) -> np.ndarray:
        aug = T.OnInput(_pipeline(sg.Generator(seed)))
        loader = DataLoader(
            ds, batch_size=5, shuffle=True, generator=sg.Generator(0), transform=aug
        )
        return np.concatenate([b[0].numpy() for b in loader])

    np.testing.assert_array_equal(epoch(1), epoch(1))
    assert not np.array_equal(epoch(1), epoch(2))
    assert T.OnInput(T.RandomVerticalFlip(p=1.0))([np.eye(2), 3])[1] == 3


def test_bad_shapes_and_reprs() -> None:
    with pytest.raises(ShapeError, match="ndim=4"):
        T.RandomRotation(10)(np.zeros((1, 1, 4, 4), dtype=np.float32))
    assert repr(T.RandomRotation(10)) == "RandomRotation(degrees=(-10.0, 10.0), fill=0.0)"
    assert "GaussianNoise(mean=0.0, std=0.05, clip=None)" in repr(_pipeline(None))
    assert "RandomHorizontalFlip(p=0.5)" in repr(_pipeline(None))
