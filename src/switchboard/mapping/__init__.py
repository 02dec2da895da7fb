"""Jsonpaths and templates: how one step's input is built from earlier steps' outputs."""

from switchboard.mapping.paths import ROOTS, CompiledPath, PathSyntaxError, compile_path, query
from switchboard.mapping.templates import Placeholder, Template, TemplateSyntaxError, compile_template

__all__ = [
    "ROOTS",
    "CompiledPath",
    "PathSyntaxError",
    "Placeholder",
    "Template",
    "TemplateSyntaxError",
    "compile_path",
    "compile_template",
    "query",
]
