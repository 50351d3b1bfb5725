"""The project's exceptions: one root, specific subclasses, one mapping to exit codes and HTTP."""

from __future__ import annotations


class GraphsvcError(Exception):
    """Root of every error the service raises on purpose; its message is for users."""

    exit_code = 1
    http_status = 500


class ConfigError(GraphsvcError):
    """A setting is missing or has a value the service cannot use."""

    exit_code = 2
    http_status = 500


class QueryFileError(GraphsvcError):
    """A Cypher file is missing or malformed."""

    exit_code = 3


class EngineError(GraphsvcError):
    """The graph engine cannot be started or reached."""

    exit_code = 4
    http_status = 503


class StoreError(GraphsvcError):
    """A statement failed inside the graph engine."""

    exit_code = 5


class ConstraintViolation(StoreError):
    """A write broke a uniqueness constraint."""

    http_status = 409


class InputError(GraphsvcError):
    """A user gave input the service cannot accept (a file, a row, a parameter)."""

    exit_code = 2
    http_status = 400


class NotFound(GraphsvcError):
    """The thing asked for does not exist."""

    exit_code = 6
    http_status = 404


class PermissionDenied(GraphsvcError):
    """The user's role may not do this."""

    exit_code = 7
    http_status = 403


class AppDbError(GraphsvcError):
    """The application database (SQLite or PostgreSQL) cannot be reached or used."""

    exit_code = 9
    http_status = 503
