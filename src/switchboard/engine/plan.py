"""A workflow made ready to run: each step bound to its operation and its input compiled once."""

from __future__ import annotations

from dataclasses import dataclass

from switchboard.connectors.base import Connector, Operation
from switchboard.connectors.registry import Registry
from switchboard.definition.model import Step, Workflow
from switchboard.mapping.templates import Template, compile_inputs


@dataclass(frozen=True)
class PlannedStep:
    step: Step
    connector: Connector
    operation: Operation
    inputs: tuple[tuple[str, Template], ...]


@dataclass(frozen=True)
class Plan:
    """Everything the engine needs to run a workflow many times without re-parsing anything."""

    workflow: Workflow
    steps: dict[str, PlannedStep]

    def __getitem__(self, name: str) -> PlannedStep:
        return self.steps[name]


def compile_plan(workflow: Workflow, registry: Registry) -> Plan:
    """Bind every step of a checked workflow to its operation and compile its input templates."""
    steps = {}
    for step in workflow.walk():
        connector = registry.get(step.connector)
        operation = registry.operation(step.connector, step.operation)
        inputs = tuple(compile_inputs(step.input, operation.verbatim_inputs).items())
        steps[step.name] = PlannedStep(step, connector, operation, inputs)
    return Plan(workflow, steps)
