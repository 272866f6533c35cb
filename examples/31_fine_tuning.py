"""E5: fine-tuning four ways: a CNN trained on digits 0-4 is adapted to digits 5-9.

Curriculum row shown here:
    E5  full fine-tuning runs the same training again on the new task; partial
        fine-tuning trains only some weights (here the convolutions stay frozen);
        additive fine-tuning freezes the model and inserts new parameters (a Houlsby
        adapter and a new head); LoRA adds a trained low-rank update to frozen weights.

The table gives what each method trains, how long it took, its accuracy on 5-9, and its
accuracy on 0-4 afterwards: a model trained only on 5-9 forgets 0-4 (it never has to
say "0" again). The frozen ones keep the old model inside: with their additions
switched off, it is back, unchanged.

One figure goes to the output folder ($SCRATCHGRAD_EXAMPLES_OUT, default examples/out/):
    31_fine_tuning.png  trainable parameters and accuracies per method.

Run it with ``python examples/31_fine_tuning.py``; the same comparison is the recipe
``scratchgrad train digits-transfer``.
"""

import matplotlib

matplotlib.use("Agg")  # draw to files; no window needed
import matplotlib.pyplot as plt  # noqa: E402 - must come after matplotlib.use
import numpy as np  # noqa: E402
from _common import out_dir, section  # noqa: E402

from scratchgrad.config import resolve_settings  # noqa: E402
from scratchgrad.recipes.transfer import digits_transfer, format_table  # noqa: E402
from scratchgrad.train.progress import Progress  # noqa: E402

section("E5. Pre-train on 0-4, then adapt to 5-9 four ways")
settings = resolve_settings(
    {"epochs": 15, "lr": 0.003, "batch_size": 32}, cli={"extra": {"adapt_epochs": 20}},
    extra={"adapt_epochs": 20},
)  # fmt: skip
rows = digits_transfer(settings, Progress(bars=False))
print(format_table(rows))

by = {r["method"]: r for r in rows}
assert by["full"]["acc_5_9"] > 0.9 and by["partial"]["acc_5_9"] > 0.9
assert by["lora"]["trainable"] < by["partial"]["trainable"] < by["full"]["trainable"]
assert by["full"]["acc_0_4"] < 0.1  # trained only on 5-9, it forgets 0-4
for name in ("additive", "lora"):  # the frozen CNN is still there, unchanged
    assert by[name]["acc_0_4_restored"] == by["pre-trained (0-4)"]["acc_0_4"]
print("full and partial forget 0-4; additive and LoRA give the old model back when switched off")

methods = [r["method"] for r in rows[1:]]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
ax1.bar(methods, [r["trainable"] for r in rows[1:]], color="tab:gray")
ax1.set(ylabel="trainable parameters", title="what each method trains")
x = np.arange(len(methods))
for i, (key, label) in enumerate(
    [("acc_5_9", "test acc 5-9"), ("acc_0_4", "acc 0-4 after"),
     ("acc_0_4_restored", "acc 0-4, additions off")]
):  # fmt: skip
    ax2.bar(x + (i - 1) * 0.27, [r[key] for r in rows[1:]], width=0.27, label=label)
ax2.set(xticks=x, xticklabels=methods, ylabel="accuracy", ylim=(0, 1.05), title="accuracy")
ax2.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig(out_dir() / "31_fine_tuning.png", dpi=100)
print(f"wrote {out_dir() / '31_fine_tuning.png'}")
