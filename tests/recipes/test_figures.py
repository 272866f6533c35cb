"""Image grids, reconstructions, latent-space plots and interpolation lines."""

from pathlib import Path

import matplotlib.image
import numpy as np

from scratchgrad.recipes.figures import (
    image_grid,
    interpolate,
    project_2d,
    save_image_grid,
    save_image_rows,
    save_latent_space,
)


def test_image_grid_places_each_image_in_order() -> None:
    images = np.arange(5, dtype=np.float32).reshape(5, 1, 1, 1) / 4  # one pixel each
    grid = image_grid(images, ncol=3, pad=1)
    assert grid.shape == (3, 5)
    assert grid[0, ::2].tolist() == [0.0, 0.25, 0.5] and grid[2, ::2].tolist() == [0.75, 1.0, 1.0]
    assert image_grid(np.zeros((2, 3, 4, 4)), ncol=2).shape == (4, 9, 3)


def test_saved_grids_are_pngs_enlarged_for_small_images(tmp_path: Path) -> None:
    save_image_grid(tmp_path / "g.png", np.ones((3, 1, 8, 8), np.float32), ncol=3)
    picture = matplotlib.image.imread(tmp_path / "g.png")
    assert picture.shape[:2] == (8 * 4, (3 * 8 + 2) * 4)
    save_image_rows(
        tmp_path / "r.png", [("a", np.zeros((4, 1, 8, 8))), ("b", np.ones((4, 1, 8, 8)))], "t"
    )
    codes = np.random.default_rng(0).standard_normal((30, 5))
    save_latent_space(tmp_path / "l.png", codes, np.arange(30) % 10, "codes")
    assert (tmp_path / "r.png").is_file() and (tmp_path / "l.png").is_file()


def test_project_2d_keeps_two_dims_and_finds_the_main_directions() -> None:
    rng = np.random.default_rng(0)
    flat = rng.standard_normal((100, 2)) * [5.0, 1.0]
    np.testing.assert_array_equal(project_2d(flat), flat)
    lifted = np.c_[flat, np.zeros(100)] @ np.linalg.qr(rng.standard_normal((3, 3)))[0]
    projected = project_2d(lifted)
    assert projected.var(axis=0)[0] > 10 * projected.var(axis=0)[1] > 0
    assert np.allclose(projected.var(axis=0).sum(), (flat - flat.mean(0)).var(axis=0).sum())
    assert project_2d(np.ones((4, 1))).shape == (4, 2)


def test_interpolate_walks_a_straight_line() -> None:
    line = interpolate(np.array([0.0, 2.0]), np.array([1.0, 0.0]), steps=5)
    np.testing.assert_allclose(line, [[0, 2], [0.25, 1.5], [0.5, 1], [0.75, 0.5], [1, 0]])
