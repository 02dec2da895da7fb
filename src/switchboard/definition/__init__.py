"""The workflow format: typed models, the checker that reports every problem, and file loading."""

from switchboard.definition.loader import load_workflow, parse_document, read_document
from switchboard.definition.model import TRIGGER_NAME, ErrorBranch, RetryPolicy, Step, Trigger, Workflow
from switchboard.definition.validate import check_workflow

__all__ = [
    "TRIGGER_NAME",
    "ErrorBranch",
    "RetryPolicy",
    "Step",
    "Trigger",
    "Workflow",
    "check_workflow",
    "load_workflow",
    "parse_document",
    "read_document",
]
