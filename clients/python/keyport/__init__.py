"""Keyport's /api/v1 from Python: management operations, verify_key, and a FastAPI dependency.

The client is the standard library only (urllib). ``Keyport.require_key`` needs FastAPI,
imported only when it is called.
"""

from ._client import (
    Keyport,
    KeyportApiError,
    KeyportError,
    KeyportNetworkError,
    KeyportTimeoutError,
    VerifiedKey,
    read_presented_key,
)

__all__ = [
    "Keyport",
    "KeyportApiError",
    "KeyportError",
    "KeyportNetworkError",
    "KeyportTimeoutError",
    "VerifiedKey",
    "read_presented_key",
]
