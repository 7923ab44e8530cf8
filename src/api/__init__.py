"""The HTTP API (FastAPI): routers per resource, auth, errors as problem+json."""
