"""benchmarks/scaling.py --quick: curves for both libraries, saved as JSON and PNGs."""

import json
from pathlib import Path

from benchmarks.scaling import ESTIMATORS, curve, main


def test_a_curve_stops_after_the_first_point_past_the_limit() -> None:
    seconds = {1: 0.1, 2: 11.0, 3: 0.1}
    c = curve("t", "n", [1, 2, 3], lambda n: {"scratchgrad": 0.1, "scikit-learn": seconds[n]})
    assert c["x"] == [1, 2] and c["seconds"]["scikit-learn"] == [0.1, 11.0]


def test_quick_run_draws_every_family_for_both_libraries(tmp_path: Path) -> None:
    main(["--quick", "--out", str(tmp_path)])
    families = json.loads((tmp_path / "scaling.json").read_text())["families"]
    assert set(families) == {"cnn", "gpt", "classical"}
    assert len(families["classical"]) == len(ESTIMATORS)
    for family, curves in families.items():
        reference = "scikit-learn" if family == "classical" else "torch"
        for c in curves:
            assert set(c["seconds"]) == {"scratchgrad", reference}
            for seconds in c["seconds"].values():
                assert len(seconds) == len(c["x"]) >= 2 and all(s > 0 for s in seconds)
        png = tmp_path / f"scaling_{family}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    redrawn = tmp_path / "redrawn"
    main(["--redraw", str(tmp_path / "scaling.json"), "--out", str(redrawn)])
    assert sorted(p.name for p in redrawn.iterdir()) == [
        f"scaling_{family}.png" for family in sorted(families)
    ]
