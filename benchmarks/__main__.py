"""Run every benchmark: ``python -m benchmarks`` (``make bench``); or name some: ``mlp cnn``."""

import argparse

from benchmarks import classical, cnn, coldstart, distributed, gpt, mlp, overhead, retrieval, rl

ALL = {"overhead": overhead, "mlp": mlp, "cnn": cnn, "classical": classical, "gpt": gpt}
ALL |= {"retrieval": retrieval, "rl": rl, "distributed": distributed, "coldstart": coldstart}


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Each benchmark runs scratchgrad and its reference (PyTorch, "
        "scikit-learn or FAISS) in the same process and prints their ratio.",
        epilog="Benchmarks: "
        + "; ".join(f"{n}: {(m.__doc__ or '').splitlines()[0]}" for n, m in ALL.items()),
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of: {', '.join(ALL)}")
    names = parser.parse_args().names or list(ALL)
    unknown = [n for n in names if n not in ALL]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(ALL)}")
    for name in names:
        ALL[name].main([])


if __name__ == "__main__":
    main()
