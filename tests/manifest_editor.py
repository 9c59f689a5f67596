"""A person editing the manifest by hand, as a separate process, for the race tests.

    python manifest_editor.py MANIFEST

Reads commands on stdin: `burst N LOW HIGH` makes N edits, LOW..HIGH ms apart;
`quit` prints the number of the last edit and exits. Edit k rewrites the line
`notes: 'edit <n>'` to `notes: 'edit k'` and the comment `# hand comment <n>` to
`# hand comment k`, touching nothing else, and saves the whole file.

It takes no lock (people's editors do not), but it is a careful editor: it saves
with an atomic exchange and checks what its save replaced; when that was
someone else's newer file, it redoes its edit on that file, so the editor
itself never drops anyone's change and a lost edit in a test is the command's.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

from extract import fsio

NOTE = re.compile(r"notes: 'edit \d+'")
COMMENT = re.compile(r"# hand comment \d+")


def apply(text: str, k: int) -> str:
    text, notes = NOTE.subn(f"notes: 'edit {k}'", text)
    text, comments = COMMENT.subn(f"# hand comment {k}", text)
    if (notes, comments) != (1, 1):
        raise SystemExit(f"editor: markers not found once each ({notes}, {comments}) in:\n{text}")
    return text


def save(path: Path, k: int) -> None:
    basis = path.read_bytes()
    expect = basis
    while True:
        new = apply(basis.decode("utf-8"), k).encode("utf-8")
        tmp = fsio.write_temp(path, new)
        if not fsio.exchange(tmp, path):
            raise SystemExit("editor: this file system cannot exchange two files atomically")
        displaced = tmp.read_bytes()
        tmp.unlink()
        if displaced == expect:
            return
        basis, expect = displaced, new  # we replaced a newer save: redo the edit on it


def main() -> None:
    path = Path(sys.argv[1])
    k = 0
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        n, low, high = int(words[1]), float(words[2]), float(words[3])
        for _ in range(n):
            time.sleep(random.uniform(low, high) / 1000)
            k += 1
            save(path, k)
    print(k, flush=True)


if __name__ == "__main__":
    main()
