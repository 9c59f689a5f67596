"""The tests' forked processes (`forked_process`): each is a process of its own that
runs a module as `python -m` does, and reports what a new process would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import forked_process
import pytest

SCRIPT = """\
import atexit, os, sys, threading, time
atexit.register(lambda: print("atexit ran", flush=True))
what = sys.argv[1]
if what == "report":
    print(os.getcwd(), os.environ.get("FORKED_TEST"), sys.argv[2:])
    print(os.getpid())
    print("on stderr", file=sys.stderr)
    print("stdin:", repr(sys.stdin.read()))
elif what == "exit":
    sys.exit(int(sys.argv[2]))
elif what == "message":
    sys.exit("a message")
elif what == "raise":
    raise ValueError("boom")
elif what == "thread":
    threading.Thread(target=lambda: (time.sleep(0.2), print("thread done"))).start()
elif what == "memory":
    import forked_process
    print(getattr(forked_process, "SET_BY_THE_TEST", "unset"))
elif what == "serve":
    print("ready", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def script(tmp_path):
    (tmp_path / "forked_script.py").write_text(SCRIPT, encoding="utf-8")
    return tmp_path


def test_a_child_runs_the_module_in_its_own_folder_environment_and_pid(script):
    env = {**os.environ, "FORKED_TEST": "yes"}
    done = forked_process.run("forked_script", ["report", "a b"], cwd=script, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{script} yes ['a b']" and int(lines[1]) != os.getpid()
    assert lines[2:] == ["stdin: ''", "atexit ran"]
    assert done.stderr == "on stderr\n"
    bare = forked_process.run("forked_script", ["report"], cwd=script, env={})
    assert bare.stdout.startswith(f"{script} None []\n")


@pytest.mark.parametrize(
    "args, code, said",
    [
        (["exit", "3"], 3, ""),
        (["exit", "0"], 0, ""),
        (["message"], 1, "a message\n"),
        (["raise"], 1, "ValueError: boom\n"),
    ],
)
def test_a_child_ends_as_the_interpreter_ends(script, args, code, said):
    done = forked_process.run("forked_script", args, cwd=script)
    assert done.returncode == code
    assert done.stderr.endswith(said)
    assert ("Traceback" in done.stderr) == (args == ["raise"])
    assert done.stdout == "atexit ran\n"  # atexit, as at any exit but a signal's


def test_a_child_waits_for_its_threads_before_atexit(script):
    done = forked_process.run("forked_script", ["thread"], cwd=script)
    assert done.stdout == "thread done\natexit ran\n"


def test_a_child_has_no_memory_of_the_test_process(script, monkeypatch):
    monkeypatch.setattr(forked_process, "SET_BY_THE_TEST", "set", raising=False)
    done = forked_process.run("forked_script", ["memory"], cwd=script)
    assert done.stdout.splitlines()[0] == "unset"


def test_a_started_child_streams_its_output_and_ends_by_signal(script):
    child = forked_process.start("forked_script", ["serve"], cwd=script)
    assert child.stdout.readline() == "ready\n"
    assert child.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        child.wait(timeout=0.1)
    child.terminate()
    assert child.wait(timeout=30) == -signal.SIGTERM
    assert child.stdout.read() == ""  # killed by the signal: no atexit
    child.stdout.close()


def test_a_child_over_its_time_is_killed(script):
    with pytest.raises(subprocess.TimeoutExpired):
        forked_process.run("forked_script", ["serve"], cwd=script, timeout=0.5)


def _limit():
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (100, 100))


def test_a_preexec_function_runs_in_the_child_only(script, tmp_path):
    (tmp_path / "limits.py").write_text(
        "import resource\nprint(resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n",
        encoding="utf-8",
    )
    done = forked_process.run("limits", [], cwd=tmp_path, preexec_fn=_limit)
    assert done.stdout == "100\n", done.stderr
    import resource

    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] != 100
    assert sys.modules["forked_process"] is forked_process


def _fail():
    raise OSError("no such limit")


def test_a_child_that_cannot_start_says_why(script, tmp_path):
    done = forked_process.run("forked_script", ["report"], cwd=script, preexec_fn=_fail)
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" in done.stderr and "OSError: no such limit" in done.stderr
    gone = forked_process.run("forked_script", ["report"], cwd=tmp_path / "gone")
    assert gone.returncode == 1 and "FileNotFoundError" in gone.stderr
