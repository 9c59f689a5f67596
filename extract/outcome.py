"""What happened to one resource in a pipeline run: the one shape fetch and convert report.

`refs fetch --json` and `refs convert --json` print a list of these (`to_dict`), so an
agent reads both the same way: ``result`` is the verb (fetched, refreshed, recorded,
planned, converted, skipped, failed), ``message`` says why or what was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    rid: str
    result: str  # fetched | refreshed | recorded | planned | converted | skipped | failed
    message: str = ""
    artifacts: list[tuple[str, str]] = field(default_factory=list)  # (path under raw/, state)
    warnings: list[str] = field(default_factory=list)
    local_paths: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result != "failed"

    def to_dict(self) -> dict:
        return {
            "id": self.rid,
            "result": self.result,
            "message": self.message,
            "artifacts": [{"path": p, "state": s} for p, s in self.artifacts],
            "warnings": list(self.warnings),
            "local_paths": list(self.local_paths),
        }
