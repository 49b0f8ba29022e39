"""`rasad serve`: the REST API (/api/v1) and the explorer's static files, in one process."""

from rasad.server.app import create_app

__all__ = ["create_app"]
