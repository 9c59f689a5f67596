"""A write stopped by Ctrl-C or SIGTERM leaves no temp file, however late the signal.

The CLI turns both signals into exceptions. One that arrives just after a temp file
is made, before the code that would remove it knows its name, used to leave a
`.<name>.<hex>.tmp` beside the file (seen once in `refs convert --all` stopped by
SIGTERM). Here the signal is sent at exactly that moment: from inside the function
that makes the temp file, right after it has made it.
"""

from __future__ import annotations

import signal

import pytest

from extract import fsio


class Stopped(Exception):
    pass


@pytest.fixture
def signal_after_the_temp_file_is_made(monkeypatch):
    """SIGTERM (raising `Stopped`) sent by the process to itself the moment the
    temp file exists; yields the list of temp files made."""

    def stop(signum, frame):
        raise Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    real = fsio._create_beside
    made = []

    def create_then_signal(path):
        fd, tmp = real(path)
        made.append(tmp)
        signal.raise_signal(signal.SIGTERM)
        return fd, tmp

    monkeypatch.setattr(fsio, "_create_beside", create_then_signal)
    yield made
    signal.signal(signal.SIGTERM, previous)


@pytest.mark.parametrize(
    "write",
    [
        lambda p: fsio.write_text(p, "new"),
        lambda p: fsio.write_bytes(p, b"new"),
        lambda p: fsio.create_new(p.with_name("fresh.md"), b"new"),
        lambda p: fsio.swap_in(p, b"new", b"old"),
        lambda p: fsio.write_temp(p, b"new"),
    ],
    ids=["write_text", "write_bytes", "create_new", "swap_in", "write_temp"],
)
def test_a_signal_just_after_the_temp_file_is_made_leaves_nothing(
    tmp_path, signal_after_the_temp_file_is_made, write
):
    target = tmp_path / "full.md"
    target.write_bytes(b"old")
    with pytest.raises(Stopped):
        write(target)
    assert signal_after_the_temp_file_is_made  # the signal came after a temp file was made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.md"]
    assert target.read_bytes() == b"old"


def test_the_signal_is_still_delivered_and_nothing_stays_held(
    tmp_path, signal_after_the_temp_file_is_made
):
    with pytest.raises(Stopped):
        fsio.write_text(tmp_path / "a.md", "x")
    # The mask is as before: a signal now is delivered at once, not held.
    assert signal.SIGTERM not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    with pytest.raises(Stopped):
        signal.raise_signal(signal.SIGTERM)
