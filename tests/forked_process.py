"""`python -m <module> <args>` in a process of its own, forked from a zygote instead of
started: a Python interpreter that imported what the commands import (MkDocs, Material,
the project) and did nothing else, so each child starts with no memory of any build,
as a new process does, without the interpreter start and the imports a new process
costs (most of a small build's CPU).

A child is a real process: its own pid, memory, file descriptors, working directory,
environment, resource limits and exit status; signals reach it. It runs the module as
`python -m` does (``__main__``, ``sys.argv``), ends as the interpreter ends (waits for
its threads, runs `atexit`, prints the traceback of an exception that ends it, exit
code 1) and reports its exit status, negative for a signal as `subprocess` does. What
it shares with its siblings: the imports (done before any test code ran) and the hash
seed. Tests of the commands' entry points themselves keep starting real processes.

`run` is `subprocess.run(..., capture_output=True, text=True)`; `start` is a `Popen`
with stdout and stderr on one pipe (`mkdocs serve`). One zygote per test process
(per xdist worker), started at first use; `stop` ends it and waits for it, so its
children's CPU time counts as this process's children's.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

# What the commands run here import; a module missing from the list costs its import in
# each child, not a wrong result. Not `material.templates`: its import prints Material's
# end-of-life notice (or silences it for the rest of the process), a process start's doing.
PRELOAD = (
    "click",
    "jinja2",
    "markdown",
    "yaml",
    "mkdocs.commands.build",
    "mkdocs.commands.serve",
    "mkdocs.config.defaults",
    "mkdocs.contrib.search",
    "mkdocs.livereload",
    "material.plugins.search.plugin",
    "pymdownx.arithmatex",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "markdown.extensions.toc",
    "markdown.extensions.tables",
    "markdown.extensions.admonition",
    "markdown.extensions.attr_list",
    "markdown.extensions.md_in_html",
    "markdown.extensions.codehilite",
    "markdown.extensions.fenced_code",
    "markdown.extensions.sane_lists",
    "pymdownx.magiclink",
    "pymdownx.tilde",
    "pygments.lexers.python",
    "pygments.styles.default",
    "pygments.filters",
    "bs4",
    "soupsieve",
    "colorama",
    "ruamel.yaml.mergevalue",
    "docs_gen.plugin",
    "docs_gen.link_brackets",
    "docs_gen.site_command",
    "extract.cli",
)

_STATUS = struct.Struct("i")
_MAX_REQUEST = 1 << 20


class Forked:
    """A child of the zygote, as `subprocess.Popen` shows one: ``pid``, ``returncode``,
    `poll`, `wait`, `terminate`, `kill`, and ``stdout`` (text) when `start` made a pipe."""

    def __init__(self, reply: socket.socket, stdout: io.TextIOBase | None):
        self._reply = reply
        self.stdout = stdout
        self.returncode: int | None = None
        self.pid = _STATUS.unpack(_read_exactly(reply, _STATUS.size))[0]

    def poll(self) -> int | None:
        if self.returncode is None and select.select([self._reply], [], [], 0)[0]:
            self._collect()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            if not select.select([self._reply], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"forked pid {self.pid}", timeout or 0)
            self._collect()
        assert self.returncode is not None
        return self.returncode

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def _signal(self, sig: int) -> None:
        if self.poll() is None:  # not reported ended: the pid is still this child's
            with contextlib.suppress(ProcessLookupError):  # ended just now
                os.kill(self.pid, sig)

    def _collect(self) -> None:
        self.returncode = _STATUS.unpack(_read_exactly(self._reply, _STATUS.size))[0]
        self._reply.close()


def run(
    module: str,
    args: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    preexec_fn=None,
) -> subprocess.CompletedProcess:
    """``python -m module *args`` in a forked child; stdin empty, stdout and stderr
    captured through pipes (as `subprocess` does: a file size limit set by
    ``preexec_fn`` is no limit on what it prints)."""
    pipes = [os.pipe(), os.pipe()]
    try:
        child = _fork(module, args, cwd, env, (pipes[0][1], pipes[1][1]), preexec_fn)
    except BaseException:
        for read, _ in pipes:
            os.close(read)
        raise
    finally:
        for _, write in pipes:
            os.close(write)
    texts = ["", ""]

    def drain(i: int) -> None:
        with open(pipes[i][0], "rb") as f:
            texts[i] = f.read().decode("utf-8", errors="replace")

    readers = [threading.Thread(target=drain, args=(i,), daemon=True) for i in (0, 1)]
    for reader in readers:
        reader.start()
    try:
        code = child.wait(timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        for reader in readers:
            reader.join(10)  # unless a process it started still holds the pipes
        raise
    for reader in readers:
        reader.join()
    return subprocess.CompletedProcess(["python", "-m", module, *args], code, *texts)


def start(module: str, args: list[str], *, cwd: Path, env: dict[str, str] | None = None):
    """``python -m module *args`` in a forked child, its stdout and stderr on one pipe
    (``child.stdout``, text, line by line), stdin empty: a `Popen`."""
    read, write = os.pipe()
    try:
        child = _fork(module, args, cwd, env, (write, write), None)
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
    child.stdout = open(read, encoding="utf-8", errors="replace")  # noqa: SIM115
    return child


def stop() -> None:
    """End this process's zygote (after its children) and wait for it."""
    global _ZYGOTE
    with _LOCK:
        zygote, _ZYGOTE = _ZYGOTE, None
    if zygote is not None:
        proc, control = zygote
        control.close()  # the zygote ends on end of file, once its children have
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------- the test process's side ----------

_LOCK = threading.Lock()
_ZYGOTE: tuple[subprocess.Popen, socket.socket] | None = None


def _zygote() -> socket.socket:
    global _ZYGOTE
    with _LOCK:
        if _ZYGOTE is not None and _ZYGOTE[0].poll() is None:
            return _ZYGOTE[1]
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        here = str(Path(__file__).parent)  # this module, and a test module's preexec_fn
        code = (
            f"import sys; sys.path.insert(0, {here!r}); import forked_process; "
            f"forked_process._serve({theirs.fileno()})"
        )
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # an xdist worker's stdout may be its channel
            cwd=Path(__file__).parent,
        )
        theirs.close()
        _ZYGOTE = (proc, mine)
        return mine


def _fork(module, args, cwd, env, outputs, preexec_fn) -> Forked:
    request = json.dumps(
        {
            "module": module,
            "args": [str(a) for a in args],
            "cwd": str(cwd),
            "env": dict(os.environ if env is None else env),
            "preexec": pickle.dumps(preexec_fn).hex() if preexec_fn else None,
        }
    ).encode("utf-8")
    if len(request) > _MAX_REQUEST:
        raise ValueError("forked_process: request too large")
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with open(os.devnull, "rb") as stdin:
            fds = [theirs.fileno(), stdin.fileno(), *outputs]
            socket.send_fds(_zygote(), [request], fds)
    except BaseException:
        mine.close()
        raise
    finally:
        theirs.close()
    return Forked(mine, None)


def _read_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise RuntimeError("forked_process: the zygote ended before the child did")
        data += chunk
    return data


# ---------- the zygote ----------


def _serve(control_fd: int) -> None:
    """Import `PRELOAD`, then fork a child per request until the test process closes
    the control socket; report each child's pid, then its exit status."""
    for name in PRELOAD:
        __import__(name)
    control = socket.socket(fileno=control_fd)
    initial = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGCHLD)}
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the select below
    replies: dict[int, socket.socket] = {}
    open_control = True
    while open_control or replies:
        ready = select.select([control, wake_r] if open_control else [wake_r], [], [])[0]
        if wake_r in ready:
            os.read(wake_r, 4096)
        if control in ready:
            msg, fds, _flags, _addr = socket.recv_fds(control, _MAX_REQUEST, 4)
            if not msg:
                open_control = False
            else:
                pid = os.fork()
                if pid == 0:
                    control.close()
                    os.close(wake_r)
                    os.close(wake_w)
                    for sock in replies.values():
                        sock.close()
                    _child(json.loads(msg), fds, initial)  # never returns
                reply = socket.socket(fileno=fds[0])
                for fd in fds[1:]:
                    os.close(fd)
                reply.sendall(_STATUS.pack(pid))
                replies[pid] = reply
        while replies:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            reply = replies.pop(pid, None)
            if reply is not None:
                try:
                    reply.sendall(_STATUS.pack(os.waitstatus_to_exitcode(status)))
                except OSError:  # the test process stopped waiting for it
                    pass
                reply.close()


def _child(request: dict, fds: list[int], initial: dict) -> None:
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        for sig, handler in initial.items():
            signal.signal(sig, handler)
        os.close(fds[0])
        for target, fd in zip((0, 1, 2), fds[1:], strict=True):
            os.dup2(fd, target)
        for fd in set(fds[1:]) - {0, 1, 2}:
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if request["preexec"]:
            pickle.loads(bytes.fromhex(request["preexec"]))()
        code = _run_as_main(request["module"], request["args"])
    except BaseException:  # before the module ran (no such folder, a preexec_fn failed)
        import traceback

        traceback.print_exc()  # on the child's stderr once it is the pipe
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def _run_as_main(module: str, args: list[str]) -> int:
    """``python -m module *args``, ending as the interpreter ends; the exit code."""
    import atexit
    import runpy
    import traceback

    sys.argv = [module, *args]
    # Imported by the zygote, the module would be run as a second copy, with runpy's
    # warning about it; a new process has not imported it when it starts.
    loaded = sys.modules.get(module)
    sys.modules.pop(module if not hasattr(loaded, "__path__") else module + ".__main__", None)
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code & 0xFF
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter at exit
    atexit._run_exitfuncs()
    return code
