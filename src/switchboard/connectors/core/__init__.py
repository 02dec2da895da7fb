"""Core connectors: control flow (conditions, branches, loops) and run control (delay, terminate).

The engine reads the outputs of `boolean-condition`, `branch` and `loop` to decide which nested
steps run; the operations themselves only evaluate their input.
"""
