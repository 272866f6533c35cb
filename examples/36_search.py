"""A hyperparameter search with Optuna: ranges, pruning, and the trials as a plot (B10).

Curriculum row shown here:
    B10 hyperparameters are the settings we choose rather than learn (learning rate,
        width). A search tries several set-ups and keeps the one with the best validation
        score. A grid tries every combination; a random or Bayesian search (Optuna's TPE)
        samples ranges and spends its trials where results were good; pruning stops a
        trial early when its validation curve falls behind the others'.

The study is kept in a journal file, so more processes (``--workers``) or machines (a
shared ``--storage``) can add trials to the same study; the command line does the same:
``scratchgrad search xor-mlp --param lr=log:1e-4:1e-1 --param hidden=int:4:32 --n-trials 8``.

One figure is written to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default
examples/out/):
    36_search.png  each trial's validation accuracy per epoch (pruned ones stop early),
                   and the final score against the learning rate.

Run it with ``python examples/36_search.py`` (needs ``pip install 'scratchgrad[distributed]'``).
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
from _common import out_dir, section  # noqa: E402

from scratchgrad.distributed import SearchJob, parse_param, run_search  # noqa: E402

section("B10. Search the learning rate and width of the XOR network")
out = out_dir()
journal = out / "36_search.journal"
journal.unlink(missing_ok=True)  # a fresh study each run
specs = (parse_param("lr=log:1e-4:1e-1"), parse_param("hidden=int:4:32"))
cli = {"epochs": 6, "out_dir": out / "36_runs"}
job = SearchJob("xor-mlp", cli, None, specs, "xor-search", str(journal), "median", seed=0)
study = run_search(job, n_trials=8)

section("Trials, best first")
done = [t for t in study.trials if t.state.name == "COMPLETE"]
pruned = [t for t in study.trials if t.state.name == "PRUNED"]
best = study.best_trial
print(f"{len(done)} complete, {len(pruned)} pruned")
print(f"best: trial {best.number}, val_accuracy {best.value:.4f}, {best.params}")

fig, (curves, scatter) = plt.subplots(1, 2, figsize=(11, 4))
for trial in study.trials:
    steps = sorted(trial.intermediate_values)
    style = "--" if trial.state.name == "PRUNED" else "-"
    curves.plot(steps, [trial.intermediate_values[s] for s in steps], style, marker=".")
curves.set(xlabel="epoch", ylabel="val_accuracy", title="per-epoch reports (dashed: pruned)")
for group, colour in ((done, "tab:blue"), (pruned, "tab:red")):
    lrs = [t.params["lr"] for t in group]
    scatter.scatter(lrs, [t.value for t in group], c=colour, label=f"{len(group)} trials")
scatter.set(xscale="log", xlabel="learning rate", ylabel="val_accuracy (last reported)")
scatter.legend(["complete", "pruned"])
fig.tight_layout()
fig.savefig(out / "36_search.png", dpi=110)
print(f"wrote {out / '36_search.png'}")
