"""The HTTP API and dashboard (``warlog serve``): see :func:`create_app`."""

from warlog.api.app import create_app

__all__ = ["create_app"]
