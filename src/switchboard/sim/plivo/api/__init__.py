"""The simulator's HTTP routes: Plivo's REST API (one module per resource) and the control API."""
