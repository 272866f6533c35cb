"""``python -m scratchgrad``: the same command line as ``scratchgrad``."""

from scratchgrad.cli import main

if __name__ == "__main__":
    main()
