"""The manifest's writers' lock and compare-and-swap, one step at a time.

The race tests (test_manifest_races.py) run real processes many times; these
pin down each rule with one deterministic case: a writer waits for the lock,
compares under it, catches an edit saved in the last moment before the swap
(with the atomic exchange and without it), and puts back an edit it cannot merge.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading

import pytest
from sample_library import CURRICULUM

from extract import Library, fsio
from extract import manifest as manifest_mod
from extract.errors import RefsError
from extract.manifest import Manifest, lock_path, writer_lock

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from extract.manifest import writer_lock
    path = Path(sys.argv[1])
    with writer_lock(path):
        print("held", flush=True)
        sys.stdin.readline()  # the test says when to write
        if sys.argv[2:] == ["half"]:  # a writer caught half-way through its write
            text = path.read_text()
            path.write_text(text[: len(text) // 3] + "\\n  - [")
            print("half", flush=True)
            sys.stdin.readline()
            path.write_text(text.replace("title: Stream Docs", "title: Streams Edited"))
        if sys.argv[2:] == ["edit"]:  # a writer that saves while it holds the lock
            text = path.read_text()
            path.write_text(text.replace("title: Stream Docs", "title: Streams Edited"))
        print("done", flush=True)
        sys.stdin.readline()
    """
)


def hold_lock(path, *args) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


def release(proc: subprocess.Popen) -> None:
    proc.stdin.write("\n\n")
    proc.stdin.flush()
    proc.communicate(timeout=30)


def save_in_a_thread(m: Manifest) -> tuple[threading.Thread, list[BaseException]]:
    """``m.save()`` started on a thread; what it raises lands in the list."""
    errors: list[BaseException] = []

    def save():
        try:
            m.save()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    saver = threading.Thread(target=save)
    saver.start()
    return saver, errors


def assert_both_edits_kept(root) -> None:
    """The file holds the other writer's edit and this command's, merged."""
    fresh = Library(root)
    assert fresh.resource("stream-docs").title == "Streams Edited"  # the other writer's
    assert fresh.resource("a-paper-on-pipelines").notes == "from this command"  # ours


def blog_notes(text: str, notes: str) -> str:
    at = text.index("  - id: schedules-blog")
    return text[:at] + text[at:].replace("notes: ''", f"notes: '{notes}'", 1)


def test_the_lock_file_sits_beside_the_manifest(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    lib.manifest.set_fields("stream-docs", notes="x")
    lib.manifest.save()
    assert lock_path(lib.manifest_path) == tmp_path / "refs" / ".manifest.lock"
    assert (tmp_path / "refs" / ".manifest.lock").is_file()


def test_a_save_waits_for_another_writer_and_merges_what_it_wrote(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("a-paper-on-pipelines", notes="from this command")
    holder = hold_lock(lib.manifest_path, "edit")
    saver, errors = save_in_a_thread(m)
    holder.stdin.write("\n")  # the other writer saves its edit, still holding the lock
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "done"
    assert saver.is_alive()  # cannot get past the lock while the other writer holds it
    release(holder)
    saver.join(timeout=60)
    assert not saver.is_alive() and errors == []
    assert_both_edits_kept(tmp_path)


def test_a_save_started_while_another_writer_is_half_way_waits_and_merges(
    make_library, tmp_path, monkeypatch
):
    """The save reads the file before it takes the lock (to merge early); a file
    another writer is still writing does not read, and is no reason to give up: the
    save waits for the lock and merges what that writer finished."""
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("a-paper-on-pipelines", notes="from this command")
    holder = hold_lock(lib.manifest_path, "half")
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.stdout.readline().strip() == "half"  # the file reads as no manifest now
    waiting = threading.Event()
    real_lock = manifest_mod.writer_lock

    def lock_after_the_early_read(path, *args, **kwargs):
        waiting.set()
        return real_lock(path, *args, **kwargs)

    monkeypatch.setattr(manifest_mod, "writer_lock", lock_after_the_early_read)
    saver, errors = save_in_a_thread(m)
    try:
        while saver.is_alive() and not waiting.wait(timeout=0.05):
            pass  # until it waits for the lock, or gave up
        assert waiting.is_set() and errors == [], errors
    finally:
        holder.stdin.write("\n")  # the other writer finishes its file
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "done"
        release(holder)
        saver.join(timeout=60)
    assert not saver.is_alive() and errors == []
    assert_both_edits_kept(tmp_path)


def test_a_writer_that_never_lets_go_stops_the_save_clearly(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    before = lib.manifest_path.read_bytes()
    holder = hold_lock(lib.manifest_path)
    try:
        with pytest.raises(RefsError, match="another refs command has held .manifest.lock"):
            with writer_lock(lib.manifest_path, wait=0.2):
                pass
    finally:
        release(holder)
    assert lib.manifest_path.read_bytes() == before


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "compare-then-rename"])
def test_an_edit_saved_just_before_the_swap_is_merged(
    make_library, tmp_path, monkeypatch, exchange
):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("stream-docs", notes="ours")
    edited = blog_notes(lib.manifest_path.read_text(), "saved at the last moment")
    real_write_temp = fsio.write_temp
    calls = []

    def write_temp(path, data):
        tmp = real_write_temp(path, data)
        if not calls:  # a person's editor saves between our read and our swap
            fsio.write_text(path, edited)
        calls.append(tmp)
        return tmp

    monkeypatch.setattr(fsio, "write_temp", write_temp)
    if not exchange:
        monkeypatch.setattr(fsio, "exchange", lambda a, b: False)
    m.save()
    assert len(calls) == 2  # the first swap found the edit; the merged text went in second
    fresh = Library(tmp_path)
    assert fresh.resource("schedules-blog").notes == "saved at the last moment"
    assert fresh.resource("stream-docs").notes == "ours"
    assert list((tmp_path / "refs").glob(".manifest.yaml.*.tmp")) == []


def test_a_last_moment_edit_of_the_same_field_is_put_back(make_library, tmp_path, monkeypatch):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("schedules-blog", notes="ours")
    edited = blog_notes(lib.manifest_path.read_text(), "theirs")
    real_write_temp = fsio.write_temp
    done = []

    def write_temp(path, data):
        tmp = real_write_temp(path, data)
        if not done:
            fsio.write_text(path, edited)
            done.append(1)
        return tmp

    monkeypatch.setattr(fsio, "write_temp", write_temp)
    with pytest.raises(RefsError, match="`schedules-blog` field `notes`"):
        m.save()
    assert lib.manifest_path.read_text() == edited  # their edit, back in place


def test_a_file_that_keeps_changing_is_given_up_on_with_nothing_lost(
    make_library, tmp_path, monkeypatch
):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("stream-docs", notes="ours")
    base = lib.manifest_path.read_text()
    real_write_temp = fsio.write_temp
    n = [0]

    def write_temp(path, data):
        tmp = real_write_temp(path, data)
        n[0] += 1
        fsio.write_text(path, blog_notes(base, f"edit {n[0]}"))  # before every swap
        return tmp

    monkeypatch.setattr(fsio, "write_temp", write_temp)
    monkeypatch.setattr(manifest_mod, "SAVE_ROUNDS", 3)
    with pytest.raises(RefsError, match="kept changing while this command saved it") as info:
        m.save()
    monkeypatch.undo()
    text = lib.manifest_path.read_text()
    kept = [p for p in (tmp_path / "refs").iterdir() if ".unsaved-" in p.name]
    # The last edit our swap displaced went back in place (or, if yet another save got
    # in between, into a file beside the manifest that the message names).
    assert "notes: 'edit " in text
    assert not kept or kept[0].name in str(info.value)
    assert Library(tmp_path).resource("stream-docs").notes == ""


def test_sync_creates_a_new_manifest_under_the_lock_and_never_over_another(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    text = lib.manifest_path.read_text()
    with pytest.raises(RefsError, match="was created by another command meanwhile"):
        manifest_mod.create(lib.manifest_path, text)
    fresh = tmp_path / "other" / "refs" / "manifest.yaml"
    manifest_mod.create(fresh, text)
    assert fresh.read_text() == text and lock_path(fresh).exists()


# ---------- a manifest that is not UTF-8 text ----------
def test_non_utf8_bytes_name_the_file_the_line_and_the_byte_offset(
    make_library, refs_subprocess, tmp_path
):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    raw = lib.manifest_path.read_bytes()
    at = raw.index(b"title: Stream Docs") + len(b"title: Stream ")
    bad = raw[:at] + b"\xff\xfe" + raw[at:]
    lib.manifest_path.write_bytes(bad)
    line = bad.count(b"\n", 0, at) + 1
    with pytest.raises(RefsError) as info:
        Manifest(lib.manifest_path)
    assert info.value.line == line and f"byte offset {at}" in info.value.message
    assert "0xff" in info.value.message and "UTF-8" in info.value.message
    for command in (["status"], ["check"], ["show", "stream-docs"], ["sync"]):
        r = refs_subprocess(tmp_path, *command)
        assert r.returncode == 1, (command, r.stderr)
        assert "Traceback" not in r.stderr and "UnicodeDecodeError" not in r.stderr
        assert f"refs/manifest.yaml:{line}" in r.stdout + r.stderr, (command, r.stdout, r.stderr)
    assert lib.manifest_path.read_bytes() == bad  # never rewritten


def test_a_control_character_names_its_line(make_library, tmp_path):
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    text = lib.manifest_path.read_text()
    bad = text.replace("title: Stream Docs", "title: Stream\x00Docs")
    lib.manifest_path.write_text(bad)
    line = bad[: bad.index("\x00")].count("\n") + 1
    with pytest.raises(RefsError, match="is not allowed in YAML") as info:
        Manifest(lib.manifest_path)
    assert info.value.line == line and "#x0000" in info.value.message


@pytest.mark.parametrize("strikes", [3, 4], ids=["while-saving", "and-while-putting-back"])
def test_a_save_given_up_under_a_looping_editor_says_what_the_file_holds(
    make_library, tmp_path, monkeypatch, strikes
):
    """Issue 24 item 10: the save gave up saying "nothing written" while the status
    change it made stayed in the file: before each swap a careful editor (as
    tests/manifest_editor.py) saved again, its edit redone on the file it found, which
    held the command's previous swap. The file holds every change: the save stands; an
    edit it had to set aside is named, and the message never says "nothing written"."""
    lib = Library(make_library(root=tmp_path, curriculum=CURRICULUM, sync=True))
    m = lib.manifest
    m.set_fields("stream-docs", status="fetched")
    real_write_temp = fsio.write_temp
    n = [0]

    def write_temp(path, data):
        tmp = real_write_temp(path, data)
        if path == lib.manifest_path and n[0] < strikes:
            n[0] += 1
            found = path.read_text()
            at = found.index("  - id: schedules-blog")
            found = found[:at] + re.sub(
                r"notes: '[^']*'", f"notes: 'edit {n[0]}'", found[at:], count=1
            )
            fsio.write_text(path, found)
        return tmp

    monkeypatch.setattr(fsio, "write_temp", write_temp)
    monkeypatch.setattr(manifest_mod, "SAVE_ROUNDS", 3)
    message = ""
    try:
        m.save()
    except RefsError as exc:
        message = str(exc)
    monkeypatch.undo()
    assert n[0] == strikes  # the editor saved before every swap (3 rounds, the put-back)
    after = Library(tmp_path)
    assert after.resource("stream-docs").status == "fetched"
    assert "nothing written" not in message
    kept = [p for p in (tmp_path / "refs").iterdir() if ".unsaved-" in p.name]
    if strikes == 3:
        assert message == "" and not kept
        assert after.resource("schedules-blog").notes == "edit 3"  # the editor's last edit
    else:
        assert "are in the file" in message and kept and kept[0].name in message
        assert "notes: 'edit 4'" in kept[0].read_text()  # its last edit, set aside
