"""`refs convert --all`'s workers never outlive it (issue 24, item 8).

Killing the command (SIGKILL, or SIGTERM) left its worker processes blocked forever
on the pool's pipe, holding its stdout. Here the command is killed while its first
(big) conversion runs and the other workers sit idle: every worker ends, and the
command's stdout reaches its end. Ctrl-C (SIGINT to the whole process group, workers
included, as a terminal sends it) stops it with one message and no traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_pages import STATIC_BLOG, provenance, write

URL = "https://blog.example.net/{}.html"


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent's wait is missing


@pytest.fixture
def library(make_library, tmp_path):
    ids = ["big", "small-1", "small-2", "small-3"]
    root = make_library(
        root=tmp_path,
        resources=[{"id": rid, "urls": [URL.format(rid)], "type": "blog"} for rid in ids],
    )
    big = "".join(
        f"<h2>Part {i}</h2><p>Words of part {i} " + "and more words " * 20 + "</p>"
        for i in range(3000)
    )
    for rid in ids:
        raw = root / "sources" / rid / "raw"
        page = STATIC_BLOG.replace("<p>First results.</p>", big) if rid == "big" else STATIC_BLOG
        write(raw / "page.html", page)
        provenance(raw, rid, {"page.html": {"url": URL.format(rid)}})
    return root


def _as_from_a_terminal() -> None:
    """Start the command with Ctrl-C's default action, as a shell at a terminal does:
    a suite run in the background of a non-interactive shell (`cmd &`) inherits SIGINT
    ignored, and Python keeps it ignored, so the command would rightly not stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize(
    "sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["SIGKILL", "SIGTERM", "Ctrl-C"]
)
def test_killing_convert_all_ends_its_workers(library, sig):
    command = [sys.executable, "-m", "extract.cli", "--root", str(library)]
    proc = subprocess.Popen(
        [*command, "convert", "--all", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a group of its own, for Ctrl-C
        preexec_fn=_as_from_a_terminal,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and proc.poll() is None and time.monotonic() < deadline:
            workers |= _children(proc.pid)
            time.sleep(0.02)
        assert len(workers) >= 2 and proc.poll() is None, "the workers never started"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
        out, err = proc.communicate(timeout=60)  # EOF: nothing holds its stdout any more
        deadline = time.monotonic() + 30
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
    finally:
        for pid in [proc.pid, *workers]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        proc.wait()
    if sig != signal.SIGKILL:
        code, word = (143, "terminated") if sig == signal.SIGTERM else (130, "interrupted")
        assert proc.returncode == code
        assert err.count(word) == 1 and "Traceback" not in err, err
        assert not list(library.rglob("*.tmp"))  # nothing half-written left behind
