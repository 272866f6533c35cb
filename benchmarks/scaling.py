"""How cost grows: step and fit times against size, for scratchgrad and its reference.

Both libraries run in the same process, point by point. Curves: the CNN's training step
(cnn.py's model, Adam) against batch size and against width (channels x1, x2, x4, batch
64); the GPT's training step (gpt.py's model, AdamW, batch 32) against context length;
fit time against n (make_classification, 50 features) for DecisionTreeClassifier,
RandomForestClassifier (20 trees), SVC (RBF) and KMeans (8 clusters, one init) against
scikit-learn. A fit curve stops after the first n where scikit-learn took over 10 s or
ours over 60 s. Step times are medians of repeated steps on one random batch.

Writes ``scaling.json`` (benchmarks/results/) and one PNG per family
(``docs/images/scaling_{cnn,gpt,classical}.png``, log-log). ``--quick``: tiny sizes;
``--redraw JSON``: the PNGs of a saved run. The load average before and after is saved
too: on a busy machine the threads of both libraries spin and the curves are noise.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._steps import GPT_BATCH, LIBRARIES, gpt_config, make_step
from benchmarks._timing import RESULTS, median_us, save
from benchmarks.cnn import BATCH as CNN_BATCH

IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
FULL = {"batch": [16, 32, 64, 128, 256], "width": [1, 2, 4], "context": [32, 64, 128, 256]}
FULL |= {"n": [1000, 2000, 5000, 10000, 20000]}
QUICK = {"batch": [4, 8], "width": [1, 2], "context": [8, 16], "n": [60, 120]}
ESTIMATORS = {  # ours under scratchgrad.ml, scikit-learn's under sklearn, same arguments
    "tree.DecisionTreeClassifier": {"random_state": 0},
    "ensemble.RandomForestClassifier": {"n_estimators": 20, "random_state": 0},
    "svm.SVC": {},
    "cluster.KMeans": {"n_clusters": 8, "n_init": 1, "random_state": 0},
}
FIT_LIBRARIES = {"scratchgrad": "scratchgrad.ml", "scikit-learn": "sklearn"}
STOP_S = {"scratchgrad": 60.0, "scikit-learn": 10.0}

Curve = dict[str, Any]  # {"name", "x_label", "x": [...], "seconds": {library: [...]}}


def step_seconds(model: str, batch: int, config: Any, quick: bool) -> dict[str, float]:
    """Median seconds of one training step, per library, on the same workload: 7 repeats
    (3 quick) of enough steps to fill 0.2 s (0.02 s quick), after warm-up steps."""
    out = {}
    for lib in LIBRARIES:
        step = make_step(lib, model, batch, config)
        step()  # Adam's state; kernels compiled or loaded
        start = time.perf_counter()
        step()
        number = max(1, round((0.02 if quick else 0.2) / (time.perf_counter() - start)))
        out[lib] = median_us(step, number=number, repeat=3 if quick else 7) / 1e6
    return out


def curve(
    name: str, x_label: str, xs: list[int], measure: Callable[[int], dict[str, float]]
) -> Curve:
    """Measure every x (seconds per library), stopping after one that passes STOP_S."""
    seconds: dict[str, list[float]] = {}
    for x in xs:
        for lib, s in measure(x).items():
            seconds.setdefault(lib, []).append(s)
        times = {lib: v[-1] for lib, v in seconds.items()}
        print(f"  {name}, {x_label} {x}: " + ", ".join(f"{k} {v:.4f} s" for k, v in times.items()))
        if any(times[lib] > limit for lib, limit in STOP_S.items() if lib in times):
            break
    done = xs[: len(next(iter(seconds.values())))]
    return {"name": name, "x_label": x_label, "x": done, "seconds": seconds}


def network_curves(sizes: dict[str, list[int]], quick: bool) -> dict[str, list[Curve]]:
    """The CNN against batch and width, the GPT against context: seconds per step."""
    cnn_batch = 8 if quick else CNN_BATCH
    gpt_batch = 2 if quick else GPT_BATCH
    return {
        "cnn": [
            curve("CNN step", "batch", sizes["batch"], lambda b: step_seconds("cnn", b, 1, quick)),
            curve(
                f"CNN step (batch {cnn_batch})",
                "width",
                sizes["width"],
                lambda w: step_seconds("cnn", cnn_batch, w, quick),
            ),
        ],
        "gpt": [
            curve(
                f"GPT step (batch {gpt_batch})",
                "context",
                sizes["context"],
                lambda t: step_seconds("gpt", gpt_batch, gpt_config(t, quick), quick),
            ),
        ],
    }


def estimator(path: str, package: str) -> Any:
    """A new estimator ``module.Class`` from ``package`` with ESTIMATORS' arguments."""
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(f"{package}.{module}"), name)(**ESTIMATORS[path])


def fit_seconds(path: str, X: Any, y: Any) -> dict[str, float]:
    """Seconds to fit each library's estimator (median of 3 when a fit takes < 2 s)."""
    out = {}
    for lib, package in FIT_LIBRARIES.items():
        times: list[float] = []
        while not times or (times[0] < 2.0 and len(times) < 3):
            model = estimator(path, package)
            start = time.perf_counter()
            model.fit(X, y)
            times.append(time.perf_counter() - start)
        out[lib] = statistics.median(times)
    return out


def fit_curves(ns: list[int]) -> list[Curve]:
    """Fit time against n for every estimator, on make_classification data (50 features)."""
    from sklearn.datasets import make_classification

    data = {n: make_classification(n, 50, n_informative=10, random_state=0) for n in ns}
    return [
        curve(path.rsplit(".", 1)[1], "n", ns, lambda n, path=path: fit_seconds(path, *data[n]))
        for path in ESTIMATORS
    ]


def plot(family: str, curves: list[Curve], folder: Path) -> Path:
    """One PNG for a family: a log-log panel per curve, one line per library, each of our
    points labelled with the time ratio ours/reference."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import NullLocator

    fig, axes = plt.subplots(1, len(curves), figsize=(4.2 * len(curves), 3.6), squeeze=False)
    for ax, c in zip(axes[0], curves, strict=True):
        ours, ref = c["seconds"].values()
        for lib, seconds in c["seconds"].items():
            ax.plot(c["x"], seconds, marker="o", label=lib)
        for x, a, b in zip(c["x"], ours, ref, strict=True):  # time ratio ours/reference
            ax.annotate(
                f"{a / b:.2g}x",
                (x, a),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=7,
            )
        ax.set(xscale="log", yscale="log", title=c["name"], xlabel=c["x_label"])
        ax.margins(y=0.15)
        ax.set_xticks(c["x"], [str(x) for x in c["x"]])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("seconds")
    axes[0][0].legend(title="labels: time ours/reference", title_fontsize=7)
    fig.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"scaling_{family}.png"
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def measure(quick: bool) -> dict[str, Any]:
    """Every curve, with the run's duration and the load average before and after it."""
    sizes = QUICK if quick else FULL
    load, start = os.getloadavg()[0], time.perf_counter()
    print(f"\nScaling: seconds per step or fit, both libraries in this run (load {load:.2f})")
    families = network_curves(sizes, quick) | {"classical": fit_curves(sizes["n"])}
    elapsed, loads = time.perf_counter() - start, [load, os.getloadavg()[0]]
    print(f"scaling run: {elapsed:.0f} s, load average {loads[0]:.2f} -> {loads[1]:.2f}")
    return {"quick": quick, "seconds_total": elapsed, "load_average": loads, "families": families}


def main(argv: list[str] | None = None) -> None:
    """Measure every curve (or read them back), save scaling.json, draw a PNG per family."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    parser.add_argument("--out", type=Path, help="one folder for the JSON and the PNGs")
    parser.add_argument(
        "--redraw", type=Path, metavar="JSON", help="draw the PNGs of a saved run; measure nothing"
    )
    args = parser.parse_args(argv)
    if args.redraw:
        payload = json.loads(args.redraw.read_text())
    else:
        payload = measure(args.quick)
        save("scaling", payload, args.out or RESULTS)
    for family, curves in payload["families"].items():
        print(f"  drew {plot(family, curves, args.out or IMAGES)}")


if __name__ == "__main__":
    main()
