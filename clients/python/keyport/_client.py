"""The Keyport client (standard library only) and the FastAPI dependency built on it."""

import json
import random
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._refusals import MALFORMED_KEY_REFUSAL, MISSING_KEY_REFUSAL, TEAM_SUSPENDED_REFUSAL, VERDICT_REFUSALS

__all__ = ["Keyport", "KeyportError", "KeyportApiError", "KeyportNetworkError", "KeyportTimeoutError", "VerifiedKey", "read_presented_key"]

# Methods whose retry cannot change the outcome. POST (create, roll, verify: a verify counts
# against the key's rate limit), PATCH and DELETE (a second revoke answers 409) are sent once.
_IDEMPOTENT = {"GET", "HEAD", "OPTIONS"}
_UNSET: Any = object()
# The longest key POST /api/v1/verify accepts (its body schema answers a longer one 422). No
# Keyport key comes near it: a longer one is refused as Keyport's own guard refuses it.
_MAX_PRESENTED_KEY_LENGTH = 200


class KeyportError(Exception):
    """The base class of everything this package raises."""


class KeyportApiError(KeyportError):
    """Keyport answered with an error: ``status`` and ``code`` are the API's
    (``"unexpected_response"`` when the body was not Keyport's error shape)."""

    def __init__(self, status: int, code: str, message: str, details: Optional[List[Dict[str, str]]] = None, retry_after: Optional[int] = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"KeyportApiError(status={self.status}, code={self.code!r}, message={self.message!r})"


class KeyportNetworkError(KeyportError):
    """Keyport could not be reached, after any retries."""


class KeyportTimeoutError(KeyportNetworkError):
    """Keyport did not answer within the client's timeout, after any retries."""


@dataclass(frozen=True)
class VerifiedKey:
    """What ``require_key`` injects once Keyport has said VALID."""

    key_id: str
    owner: Dict[str, Any]
    scopes: List[str]
    environment: str
    expires_at: Optional[str]
    # The key's team ({"id", "slug", "name"}) when the server reports one.
    team: Optional[Dict[str, Any]] = None
    ratelimit: Optional[Dict[str, int]] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def read_presented_key(authorization: Optional[str], api_key: Optional[str]) -> Optional[str]:
    """The key from ``Authorization: Bearer <key>`` or ``X-API-Key``, read as Keyport reads it.

    Returns None when neither header is sent and raises ValueError when the two disagree or
    either is not of the one accepted shape (Keyport answers that ``malformed_key``).
    """
    from_authorization = None
    if authorization is not None:
        match = re.fullmatch(r"Bearer ([^\s,]+)", authorization, flags=re.IGNORECASE)
        if not match:
            raise ValueError("ambiguous")
        from_authorization = match.group(1)
    if api_key is not None and not re.fullmatch(r"[^\s,]+", api_key):
        raise ValueError("ambiguous")
    if from_authorization is not None and api_key is not None and from_authorization != api_key:
        raise ValueError("ambiguous")
    return from_authorization if from_authorization is not None else api_key


class _Refused(Exception):
    """Raised by require_key's dependency; answered by the handler ``install`` registers."""

    def __init__(self, status: int, body: Dict[str, Any], headers: Dict[str, str]):
        super().__init__(body["error"]["message"])
        self.status = status
        self.body = body
        self.headers = headers


def _refusal(entry: Dict[str, Any], message: Optional[str] = None, headers: Optional[Dict[str, str]] = None) -> _Refused:
    headers = dict(headers or {})
    if entry.get("wwwAuthenticate"):
        headers["WWW-Authenticate"] = entry["wwwAuthenticate"]
    headers["Cache-Control"] = "no-store"
    return _Refused(entry["status"], {"error": {"code": entry["code"], "message": message or entry["message"]}}, headers)


def _unavailable() -> _Refused:
    """Keyport could not be asked, or gave no verdict: never the route."""
    return _Refused(503, {"error": {"code": "unavailable", "message": "The API key could not be checked. Retry shortly."}}, {"Retry-After": "5", "Cache-Control": "no-store"})


class Keyport:
    """A client of Keyport's /api/v1, calling with ``api_key``.

    Every method raises KeyportApiError (with the API's ``code``), KeyportNetworkError or
    KeyportTimeoutError. GET calls are retried with backoff on a 503 or a network error.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        retry_base_delay: float = 0.2,
        max_retry_delay: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not api_key:
            raise ValueError("Keyport needs an api_key.")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.retry_base_delay = retry_base_delay
        self.max_retry_delay = max_retry_delay
        self._sleep = sleep

    def __repr__(self) -> str:  # never the key
        return f"Keyport({self.base_url!r})"

    # --- transport -------------------------------------------------------------------------

    def _send(self, method: str, path: str, body: Any = _UNSET, query: Optional[Dict[str, Any]] = None, headers: Optional[Dict[str, str]] = None) -> Tuple[int, Any, Dict[str, str]]:
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = None if body is _UNSET else json.dumps(body).encode()
        all_headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json", **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        attempts = self.retries + 1 if method in _IDEMPOTENT else 1
        for attempt in range(1, attempts + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, self._parse(response.read()), dict(response.headers)
            except urllib.error.HTTPError as error:
                status, payload, response_headers = error.code, self._parse(error.read()), dict(error.headers)
                if status == 503 and attempt < attempts:
                    delay = self._delay(attempt, response_headers.get("Retry-After"))
                    if delay <= self.max_retry_delay:
                        self._sleep(delay)
                        continue
                return status, payload, response_headers
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
                reason = getattr(error, "reason", error)
                failure: KeyportError
                if isinstance(reason, (socket.timeout, TimeoutError)):
                    failure = KeyportTimeoutError(f"Keyport did not answer within {self.timeout} s.")
                else:
                    failure = KeyportNetworkError(f"Keyport could not be reached: {reason}")
                if attempt >= attempts:
                    raise failure from error
                self._sleep(self._delay(attempt, None))
        raise AssertionError("unreachable")

    def _delay(self, retry: int, retry_after: Optional[str]) -> float:
        if retry_after is not None and retry_after.isdigit():
            return float(retry_after)
        return self.retry_base_delay * 2 ** (retry - 1) * (0.5 + random.random() / 2)

    @staticmethod
    def _parse(raw: bytes) -> Any:
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        status, payload, headers = self._send(method, path, **kwargs)
        if 200 <= status < 300:
            return payload
        error = payload.get("error") if isinstance(payload, dict) else None
        retry_after = headers.get("Retry-After")
        retry_after_seconds = int(retry_after) if retry_after and retry_after.isdigit() else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            raise KeyportApiError(status, error["code"], error.get("message", ""), error.get("details"), retry_after_seconds)
        raise KeyportApiError(status, "unexpected_response", f"Keyport answered {status} without its error body.", None, retry_after_seconds)

    @staticmethod
    def _id(key_id: str) -> str:
        return urllib.parse.quote(key_id, safe="")

    # --- operations ------------------------------------------------------------------------

    def get_me(self) -> Dict[str, Any]:
        """GET /api/v1/me: the calling key and its owner."""
        return self._call("GET", "/api/v1/me")

    def list_keys(self, cursor: Optional[str] = None, limit: Optional[int] = None) -> Dict[str, Any]:
        """GET /api/v1/keys: ``{"items": [...], "nextCursor": ...}``, newest first."""
        return self._call("GET", "/api/v1/keys", query={"cursor": cursor, "limit": limit})

    def create_key(self, name: str, *, environment: Optional[str] = None, scopes: Optional[Sequence[str]] = None, expires_at: Any = _UNSET, ip_allowlist: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        """POST /api/v1/keys: ``{"key": ..., "secret": ...}``; the secret is in this answer only."""
        body: Dict[str, Any] = {"name": name}
        if environment is not None:
            body["environment"] = environment
        if scopes is not None:
            body["scopes"] = list(scopes)
        if expires_at is not _UNSET:
            body["expiresAt"] = expires_at
        if ip_allowlist is not None:
            body["ipAllowlist"] = list(ip_allowlist)
        return self._call("POST", "/api/v1/keys", body=body)

    def get_key(self, key_id: str) -> Dict[str, Any]:
        """GET /api/v1/keys/{id}."""
        return self._call("GET", f"/api/v1/keys/{self._id(key_id)}")

    def update_key(self, key_id: str, *, name: Any = _UNSET, scopes: Any = _UNSET, expires_at: Any = _UNSET, ip_allowlist: Any = _UNSET) -> Dict[str, Any]:
        """PATCH /api/v1/keys/{id}: pass the fields to change (expires_at=None: never expires)."""
        fields = {"name": name, "scopes": scopes, "expiresAt": expires_at, "ipAllowlist": ip_allowlist}
        body = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in fields.items() if v is not _UNSET}
        return self._call("PATCH", f"/api/v1/keys/{self._id(key_id)}", body=body)

    def revoke_key(self, key_id: str) -> Dict[str, Any]:
        """DELETE /api/v1/keys/{id}: refused from the next request."""
        return self._call("DELETE", f"/api/v1/keys/{self._id(key_id)}")

    def roll_key(self, key_id: str, *, grace_seconds: Optional[int] = None, start_grace_on_first_use: Optional[bool] = None, expires_at: Any = _UNSET) -> Dict[str, Any]:
        """POST /api/v1/keys/{id}/roll: ``{"key", "secret", "oldKeyGraceEndsAt"}``."""
        body: Dict[str, Any] = {}
        if grace_seconds is not None:
            body["graceSeconds"] = grace_seconds
        if start_grace_on_first_use is not None:
            body["startGraceOnFirstUse"] = start_grace_on_first_use
        if expires_at is not _UNSET:
            body["expiresAt"] = expires_at
        return self._call("POST", f"/api/v1/keys/{self._id(key_id)}/roll", body=body)

    def get_key_usage(self, key_id: str) -> Dict[str, Any]:
        """GET /api/v1/keys/{id}/usage: requests per day for the last 30 days."""
        return self._call("GET", f"/api/v1/keys/{self._id(key_id)}/usage")

    def verify_key(self, key: str, scopes: Sequence[str] = (), ip: Optional[str] = None) -> Dict[str, Any]:
        """POST /api/v1/verify (the calling key needs the ``verify`` scope).

        Returns the verdict: ``{"valid", "code", "keyId", "owner", "scopes", ...}``; ``code`` is
        VALID, NOT_FOUND, REVOKED, EXPIRED, DISABLED, INSUFFICIENT_SCOPE, IP_NOT_ALLOWED or
        RATE_LIMITED. Pass your caller's IP: a key with an IP allowlist is refused without it.
        """
        body: Dict[str, Any] = {"key": key, "scopes": list(scopes)}
        if ip:
            body["ip"] = ip
        return self._call("POST", "/api/v1/verify", body=body)

    # --- FastAPI ---------------------------------------------------------------------------

    def install(self, app: Any) -> None:
        """Lets ``require_key`` answer refusals as Keyport does: ``{"error": {"code", "message"}}``."""
        from fastapi.responses import JSONResponse

        async def answer(_request: Any, refused: _Refused) -> Any:
            return JSONResponse(refused.body, status_code=refused.status, headers=refused.headers)

        app.add_exception_handler(_Refused, answer)

    def require_key(self, scopes: Sequence[str] = (), client_ip: Optional[Callable[[Any], Optional[str]]] = None) -> Callable[..., Any]:
        """A FastAPI dependency: ``Depends(keyport.require_key(scopes=[...]))``.

        Reads ``Authorization: Bearer`` / ``X-API-Key``, asks Keyport with the client's IP
        (``request.client.host``, or ``client_ip(request)``), and injects a VerifiedKey; a
        refused key gets Keyport's status (401, 403, 429; 503 when Keyport cannot be asked)
        and error body (call ``install(app)`` once).
        """
        from fastapi import Request
        from starlette.concurrency import run_in_threadpool

        wanted = list(scopes)

        async def keyport_key(request: Request) -> VerifiedKey:
            if _Refused not in request.app.exception_handlers:
                # Without the handler a refusal would be a bare 500: say so on the first request.
                raise RuntimeError("Call keyport.install(app) once, so require_key can answer with Keyport's error body.")
            def header(name: str) -> Optional[str]:
                # A repeated header is joined as Keyport (and the Fetch API) joins it, so it is
                # refused as malformed; Starlette's get() would return the first line alone.
                values = request.headers.getlist(name)
                return ", ".join(values) if values else None

            try:
                key = read_presented_key(header("authorization"), header("x-api-key"))
            except ValueError:
                raise _refusal(MALFORMED_KEY_REFUSAL)
            if key is None:
                raise _refusal(MISSING_KEY_REFUSAL)
            if len(key) > _MAX_PRESENTED_KEY_LENGTH:
                raise _refusal(MALFORMED_KEY_REFUSAL)
            ip = client_ip(request) if client_ip else (request.client.host if request.client else None)
            try:
                # urllib blocks: run it off the event loop.
                result = await run_in_threadpool(self.verify_key, key, wanted, ip)
            except KeyportError:
                raise _unavailable()
            # A 200 that is not a verdict (a proxy's page, an empty object) gave no answer about the key.
            if not isinstance(result, dict) or not isinstance(result.get("code"), str):
                raise _unavailable()
            code = result.get("code")
            if code == "VALID" and result.get("valid"):
                return VerifiedKey(
                    key_id=result["keyId"],
                    owner=result["owner"],
                    scopes=result["scopes"],
                    environment=result["environment"],
                    expires_at=result.get("expiresAt"),
                    team=result.get("team"),
                    ratelimit=result.get("ratelimit"),
                    raw=result,
                )
            entry = VERDICT_REFUSALS.get(code, VERDICT_REFUSALS["NOT_FOUND"])
            # DISABLED is a disabled owner, or for a team key (which depends on no person) its suspended team.
            if code == "DISABLED" and result.get("team"):
                entry = TEAM_SUSPENDED_REFUSAL
            if code == "INSUFFICIENT_SCOPE":
                missing = [scope for scope in wanted if scope not in result.get("scopes", [])]
                raise _refusal(entry, f"{entry['message']} Missing: {', '.join(missing)}." if missing else None)
            if code == "RATE_LIMITED" and result.get("ratelimit"):
                seconds = max(1, int(result["ratelimit"]["reset"]))
                raise _refusal(entry, f"Rate limit of {result['ratelimit']['limit']} requests a minute reached. Retry in {seconds} s.", {"Retry-After": str(seconds)})
            raise _refusal(entry)

        return keyport_key
