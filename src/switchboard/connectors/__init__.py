"""Connectors: the SDK (`base.py`), discovery (`registry.py`) and the connectors shipped with Switchboard."""
