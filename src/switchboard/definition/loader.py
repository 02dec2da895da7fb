"""Reading workflow files (YAML or JSON) into raw documents and typed workflows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from switchboard.connectors.registry import Registry, discover
from switchboard.definition.model import Workflow
from switchboard.definition.validate import check_workflow
from switchboard.errors import Problem, WorkflowInvalid


def read_document(path: Path) -> Any:
    """The file's content as plain data; a syntax error is reported with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkflowInvalid([Problem("", f"cannot read {path}: {exc.strerror or exc}")]) from None
    return parse_document(text, json_only=path.suffix.lower() == ".json")


def parse_document(text: str, *, json_only: bool = False) -> Any:
    """Parse YAML (a superset of JSON) or strict JSON."""
    if json_only:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise WorkflowInvalid([Problem("", f"line {exc.lineno} column {exc.colno}: {exc.msg}")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark else ""
        raise WorkflowInvalid([Problem("", f"{where}{exc.problem or exc}")]) from None
    except yaml.YAMLError as exc:
        raise WorkflowInvalid([Problem("", str(exc))]) from None


def load_workflow(path: Path, registry: Registry | None = None) -> Workflow:
    """The checked workflow in `path`, or `WorkflowInvalid` listing every problem."""
    return check_workflow(read_document(path), registry or discover())
