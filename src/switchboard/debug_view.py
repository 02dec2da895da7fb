"""The terminal debug panel: each step's status, duration, input and output, as a run record shows them."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text

from switchboard.engine.records import RunState, StepEntry

_STYLE = {
    "succeeded": ("✔", "green"),
    "failed": ("✘", "red"),
    "running": ("…", "yellow"),
    "needs_review": ("?", "magenta"),
    "cancelled": ("■", "bright_black"),
}


def print_run(console: Console, title: str, run: RunState) -> None:
    """Print a run the way the web debug panel shows it."""
    mark, colour = _STYLE.get(run.status, ("·", "white"))
    record = run.to_record()
    header = Text.assemble(
        (f"{mark} {title}", f"bold {colour}"),
        f"  run {run.id}  {run.status}",
        f"  {record['duration_ms']} ms" if record["duration_ms"] is not None else "",
    )
    console.print(header)
    for entry in run.steps:
        console.print(_step_panel(entry))
    if run.error:
        console.print(Text(f"run {run.status}: {run.error.get('message', '')}", style=f"bold {colour}"))


def _step_panel(entry: StepEntry) -> Panel:
    record = entry.to_record()
    mark, colour = _STYLE.get(entry.status, ("·", "white"))
    where = f" [{entry.iteration}]" if entry.iteration else ""
    title = Text.assemble(
        (f"{mark} {entry.name}", f"bold {colour}"),
        f"{where}  {entry.connector}.{entry.operation}",
        f"  {record['duration_ms']} ms" if record["duration_ms"] is not None else "",
        f"  attempts {entry.attempts}" if entry.attempts > 1 else "",
    )
    parts: list[Any] = [Text("input", style="bold"), _json(entry.input)]
    if entry.error is not None:
        parts += [Text("error", style="bold red"), _json(entry.error)]
    else:
        parts += [Text("output", style="bold"), _json(entry.output)]
    return Panel(Group(*parts), title=title, title_align="left", border_style=colour, expand=True)


def _json(value: Any) -> Syntax:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return Syntax(text, "json", theme="ansi_dark", background_color="default", word_wrap=True)
