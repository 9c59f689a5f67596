"""Worker processes that never outlive the command that started them.

`ProcessPoolExecutor`'s workers wait on a pipe whose writing end they hold
themselves, so when the command is killed (SIGKILL, or SIGTERM, whose default is to
die on the spot) they block forever, holding its stdout. Each worker here asks the
kernel to kill it when its parent dies (Linux `PR_SET_PDEATHSIG`; elsewhere a thread
watches the parent's pid), and a command that stops on an exception (Ctrl-C, a
SIGTERM turned into `Terminated` by the CLI) cancels what is queued and ends its
workers instead of waiting for them. Ctrl-C reaches the workers too (a terminal
signals the whole process group): they ignore it, so the command alone decides
what stops, and an idle worker prints no traceback of its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from . import fsio

_PR_SET_PDEATHSIG = 1


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this process when ``parent`` (the command) dies, and
    leave Ctrl-C to the command. A forked worker inherits the command's SIGTERM
    handler (raise `Terminated`, to clean up and report); a worker asked to stop by
    its pool must simply end, so it gets the default back. Both signals were held
    while it was forked (`forking`); a Ctrl-C that came meanwhile is dropped here."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, fsio.HELD_SIGNALS)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while worker processes are forked (a fork pool starts
    them at its first `submit`): a worker forked with the command's handlers that got
    one before its initializer ran would print a traceback of its own. The command
    receives a held signal as soon as this ends."""
    with fsio.signals_held():
        yield


@contextlib.contextmanager
def pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers die with the command, and stop with it."""
    executor = ProcessPoolExecutor(
        max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),)
    )
    try:
        yield executor
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(OSError, AttributeError):
                process.kill()
        for process in processes:  # gone, not only signalled, when the caller goes on
            with contextlib.suppress(OSError, AttributeError, ValueError):
                process.join(5)
        raise
    executor.shutdown(wait=True)
