"""lathe_sdk: a client of a Lathe server (DESIGN §29), standard library only.

Client has one method per route of the server's route table (generated: client.py, types.py) and the helpers of
Transport (_runtime.py): follow, follow_turn and turn.
"""

from . import types
from ._runtime import (
    CommandFailedError,
    ConflictError,
    ConnectionFailedError,
    FailedError,
    ForbiddenError,
    InvalidConfigError,
    InvalidInputError,
    LatheError,
    NotFoundError,
    Redirected,
    TooLargeError,
    UnauthorizedError,
    UnavailableError,
    default_server_json,
)
from .client import Client
from .types import EVENT_TYPES, ROUTES, LatheEvent

__version__ = "0.0.0"

__all__ = [
    "Client", "types", "LatheEvent", "EVENT_TYPES", "ROUTES", "Redirected", "default_server_json",
    "LatheError", "InvalidInputError", "UnauthorizedError", "ForbiddenError", "NotFoundError", "ConflictError",
    "TooLargeError", "InvalidConfigError", "CommandFailedError", "FailedError", "UnavailableError", "ConnectionFailedError",
]
