"""The REST API and the public trigger endpoint, on FastAPI (SPEC §5)."""
