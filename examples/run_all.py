"""Run every numbered example (examples/NN_*.py) in order, each in a fresh interpreter.

Usage:
    python examples/run_all.py            # all of them
    python examples/run_all.py 01 03      # only those whose name starts with 01 or 03
    python examples/run_all.py --dir DIR  # the numbered scripts of another folder

Prints a header before each example and a summary at the end; exits with status 1 if
any example failed. Each runs as ``sys.executable example.py``, exactly as a user would
run it, so one example's seed or plotting state cannot leak into the next.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path


def find_examples(folder: Path, prefixes: list[str]) -> list[Path]:
    """The numbered example scripts in ``folder``, sorted, filtered by name prefix."""
    scripts = sorted(folder.glob("[0-9][0-9]_*.py"))
    if prefixes:
        scripts = [s for s in scripts if s.name.startswith(tuple(prefixes))]
    return scripts


def run(script: Path) -> tuple[bool, float]:
    """Run one example, its output going straight to ours; returns (passed, seconds)."""
    print(f"\n{'#' * 88}\n# {script.name}\n{'#' * 88}", flush=True)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, str(script)], check=False)
    return result.returncode == 0, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the examples named on the command line (all by default); 0 if all passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="run only examples starting with these")
    parser.add_argument("--dir", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)

    scripts = find_examples(args.dir, args.prefixes)
    if not scripts:
        print(f"no examples matching {args.prefixes or '[0-9][0-9]_*.py'} in {args.dir}")
        return 1
    results = [(script.name, *run(script)) for script in scripts]

    print(f"\n{'#' * 88}\n# summary")
    for name, passed, seconds in results:
        print(f"  {'ok  ' if passed else 'FAIL'}  {name:40s} {seconds:6.1f} s")
    failed = [name for name, passed, _ in results if not passed]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
