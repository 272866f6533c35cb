"""The programs and the torch alias are run in subprocesses, never imported by pytest."""

collect_ignore = ["alias", "programs"]
