"""The Python client against a running Keyport (KEYPORT_URL, KEYPORT_API_KEY: a key holding every scope),
and its transport against small local servers. tests/server/clients-python.test.ts runs this file."""

import http.server
import json
import os
import socket
import threading
import unittest

from keyport import Keyport, KeyportApiError, KeyportNetworkError, KeyportTimeoutError, read_presented_key

URL = os.environ.get("KEYPORT_URL")
API_KEY = os.environ.get("KEYPORT_API_KEY")


@unittest.skipUnless(URL and API_KEY, "needs KEYPORT_URL and KEYPORT_API_KEY (tests/server/clients-python.test.ts sets them)")
class AgainstKeyport(unittest.TestCase):
    def setUp(self):
        self.keyport = Keyport(URL, API_KEY)

    def test_every_management_operation(self):
        me = self.keyport.get_me()
        self.assertIn("verify", me["key"]["scopes"])

        created = self.keyport.create_key("python client", environment="test", scopes=["me:read"], ip_allowlist=["127.0.0.1/32"])
        key_id = created["key"]["id"]
        self.assertTrue(created["secret"].startswith("kp_test_"))
        self.assertEqual(created["key"]["ipAllowlist"], ["127.0.0.1/32"])

        self.assertEqual(self.keyport.get_key(key_id)["name"], "python client")
        page = self.keyport.list_keys(limit=100)
        self.assertIn(key_id, [item["id"] for item in page["items"]])
        first = self.keyport.list_keys(limit=1)
        self.assertEqual(len(first["items"]), 1)
        self.assertIsNotNone(first["nextCursor"])

        updated = self.keyport.update_key(key_id, name="python client (renamed)", ip_allowlist=[])
        self.assertEqual((updated["name"], updated["ipAllowlist"]), ("python client (renamed)", []))

        usage = self.keyport.get_key_usage(key_id)
        self.assertEqual(usage["keyId"], key_id)
        self.assertIsInstance(usage["days"], list)

        rolled = self.keyport.roll_key(key_id, grace_seconds=0)
        self.assertEqual(rolled["key"]["rolledFromId"], key_id)
        self.assertEqual(self.keyport.verify_key(rolled["secret"], scopes=["me:read"])["code"], "VALID")

        revoked = self.keyport.revoke_key(rolled["key"]["id"])
        self.assertEqual(revoked["status"], "revoked")
        self.assertEqual(self.keyport.verify_key(rolled["secret"])["code"], "REVOKED")

    def test_verify_key_reports_each_verdict(self):
        created = self.keyport.create_key("verified", environment="live", scopes=["me:read"], ip_allowlist=["203.0.113.0/24"])
        secret = created["secret"]
        valid = self.keyport.verify_key(secret, scopes=["me:read"], ip="203.0.113.7")
        self.assertEqual((valid["valid"], valid["code"], valid["keyId"]), (True, "VALID", created["key"]["id"]))
        self.assertEqual(valid["owner"]["id"], self.keyport.get_me()["owner"]["id"])
        self.assertEqual(self.keyport.verify_key(secret, scopes=["keys:write"], ip="203.0.113.7")["code"], "INSUFFICIENT_SCOPE")
        self.assertEqual(self.keyport.verify_key(secret, scopes=["me:read"], ip="198.51.100.1")["code"], "IP_NOT_ALLOWED")
        self.assertEqual(self.keyport.verify_key(secret, scopes=["me:read"])["code"], "IP_NOT_ALLOWED")
        self.assertEqual(self.keyport.verify_key("kp_live_" + "A" * 32 + "_000000")["code"], "NOT_FOUND")

    def test_errors_carry_the_api_status_and_code(self):
        with self.assertRaises(KeyportApiError) as missing:
            self.keyport.get_key("no-such-key")
        self.assertEqual((missing.exception.status, missing.exception.code), (404, "not_found"))

        with self.assertRaises(KeyportApiError) as invalid:
            self.keyport.create_key("   ")
        self.assertEqual((invalid.exception.status, invalid.exception.code), (422, "validation_failed"))
        self.assertTrue(invalid.exception.details)

        created = self.keyport.create_key("revoked at once")
        self.keyport.revoke_key(created["key"]["id"])
        with self.assertRaises(KeyportApiError) as revoked:
            Keyport(URL, created["secret"]).get_me()
        self.assertEqual((revoked.exception.status, revoked.exception.code), (401, "revoked_key"))


class _Handler(http.server.BaseHTTPRequestHandler):
    answers = []  # (status, body, headers) per request, in order
    seen = []

    def _answer(self):
        type(self).seen.append(self.command)
        status, body, headers = type(self).answers.pop(0) if type(self).answers else (200, {}, {})
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args):
        pass


UNAVAILABLE = {"error": {"code": "unavailable", "message": "The service is temporarily unavailable. Retry shortly."}}


class _LocalServer(unittest.TestCase):
    """A small HTTP server answering _Handler.answers in order (no tests of its own)."""

    def setUp(self):
        _Handler.answers, _Handler.seen = [], []
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.waits = []

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def client(self, url=None, **options):
        return Keyport(url or self.url, "kp_test_caller", sleep=self.waits.append, **options)


class Transport(_LocalServer):

    def test_a_get_answered_503_is_retried_after_retry_after(self):
        _Handler.answers = [(503, UNAVAILABLE, {"Retry-After": "1"}), (200, {"owner": {"id": "u"}}, {})]
        self.assertEqual(self.client().get_me(), {"owner": {"id": "u"}})
        self.assertEqual((_Handler.seen, self.waits), (["GET", "GET"], [1.0]))

    def test_a_post_answered_503_is_not_retried(self):
        _Handler.answers = [(503, UNAVAILABLE, {"Retry-After": "1"})]
        with self.assertRaises(KeyportApiError) as error:
            self.client().verify_key("kp_test_x")
        self.assertEqual((error.exception.status, error.exception.code, error.exception.retry_after), (503, "unavailable", 1))
        self.assertEqual((_Handler.seen, self.waits), (["POST"], []))

    def test_an_unreachable_server_is_a_network_error_after_the_retries(self):
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        with self.assertRaises(KeyportNetworkError):
            self.client(f"http://127.0.0.1:{port}", retries=2).get_me()
        self.assertEqual(len(self.waits), 2)

    def test_a_server_that_does_not_answer_is_a_timeout(self):
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        try:
            with self.assertRaises(KeyportTimeoutError):
                self.client(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.2).verify_key("kp_test_x")
        finally:
            silent.close()

    def test_a_body_that_is_not_keyports_is_unexpected_response(self):
        _Handler.answers = [(502, "<html>", {})]
        with self.assertRaises(KeyportApiError) as error:
            self.client().get_key("k")
        self.assertEqual(error.exception.code, "unexpected_response")

    def test_the_api_key_is_not_in_the_repr(self):
        self.assertNotIn("kp_test_caller", repr(self.client()))


try:
    from fastapi import Depends, FastAPI
    from fastapi.testclient import TestClient
except ImportError:  # the core client needs none of it
    FastAPI = None


@unittest.skipIf(FastAPI is None, "needs fastapi and httpx")
class RequireKeyVerdicts(_LocalServer):
    """The verdicts a real server rarely gives in a test, from a /verify that answers them."""

    def app(self, install=True):
        keyport = Keyport(self.url, "kp_test_service")
        app = FastAPI()
        if install:
            keyport.install(app)

        @app.get("/orders")
        def orders(caller=Depends(keyport.require_key(scopes=["me:read"]))):
            return {"owner": caller.owner, "team": caller.team}

        return TestClient(app, raise_server_exceptions=False)

    BASE = {"keyId": "k1", "owner": {"id": "u1", "email": "ada@example.com"}, "scopes": ["me:read"], "environment": "live", "expiresAt": None, "team": None}

    def test_rate_limited_is_429_with_retry_after(self):
        _Handler.answers = [(200, {**self.BASE, "valid": False, "code": "RATE_LIMITED", "ratelimit": {"limit": 60, "remaining": 0, "reset": 42}}, {})]
        response = self.app().get("/orders", headers={"Authorization": "Bearer kp_live_caller"})
        self.assertEqual((response.status_code, response.headers["retry-after"]), (429, "42"))
        self.assertEqual(response.json(), {"error": {"code": "rate_limited", "message": "Rate limit of 60 requests a minute reached. Retry in 42 s."}})

    def test_disabled_is_401_owner_disabled(self):
        _Handler.answers = [(200, {**self.BASE, "valid": False, "code": "DISABLED", "ratelimit": None}, {})]
        response = self.app().get("/orders", headers={"X-API-Key": "kp_live_caller"})
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (401, "owner_disabled"))

    def test_disabled_team_key_is_401_team_suspended(self):
        _Handler.answers = [(200, {**self.BASE, "valid": False, "code": "DISABLED", "team": {"id": "t1", "slug": "acme", "name": "Acme"}, "ratelimit": None}, {})]
        response = self.app().get("/orders", headers={"X-API-Key": "kp_live_caller"})
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (401, "team_suspended"))

    def test_keyport_unavailable_is_503_never_the_route(self):
        _Handler.answers = [(503, UNAVAILABLE, {"Retry-After": "5"})]
        response = self.app().get("/orders", headers={"Authorization": "Bearer kp_live_caller"})
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (503, "unavailable"))

    def test_valid_injects_owner_and_team(self):
        _Handler.answers = [(200, {**self.BASE, "valid": True, "code": "VALID", "team": {"id": "t1", "slug": "acme", "name": "Acme"}, "ratelimit": None}, {})]
        response = self.app().get("/orders", headers={"Authorization": "Bearer kp_live_caller"})
        self.assertEqual(response.json(), {"owner": self.BASE["owner"], "team": {"id": "t1", "slug": "acme", "name": "Acme"}})

    def test_a_key_longer_than_verify_accepts_is_401_malformed_key_not_503(self):
        # /verify answers a key over 200 characters 422; the dependency used to turn that into 503 unavailable.
        _Handler.answers = [(422, {"error": {"code": "validation_failed", "message": "The request body is invalid."}}, {})]
        response = self.app().get("/orders", headers={"X-API-Key": "kp_live_" + "A" * 300})
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (401, "malformed_key"))
        self.assertEqual(_Handler.seen, [])

    def test_a_200_that_is_not_a_verdict_is_503_not_a_500(self):
        _Handler.answers = [(200, None, {}), (200, {}, {})]
        for _ in range(2):
            response = self.app().get("/orders", headers={"Authorization": "Bearer kp_live_caller"})
            self.assertEqual((response.status_code, response.json()["error"]["code"]), (503, "unavailable"))

    def test_a_repeated_key_header_is_401_malformed_key_as_keyport_answers_it(self):
        # Keyport joins a repeated X-API-Key and refuses the result; Starlette's get() returned the first.
        # httpx (TestClient) joins repeated headers itself, so the request goes to the app as uvicorn passes it.
        for name in (b"x-api-key", b"authorization"):
            value = b"Bearer " if name == b"authorization" else b""
            status, body = self.asgi_get(self.app().app, "/orders", [(name, value + b"kp_live_caller"), (name, value + b"kp_live_other")])
            self.assertEqual((status, json.loads(body)["error"]["code"]), (401, "malformed_key"))
        self.assertEqual(_Handler.seen, [])

    @staticmethod
    def asgi_get(app, path, headers):
        """One GET through the ASGI app with these raw header lines, repeated ones kept apart."""
        import asyncio

        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
                 "query_string": b"", "root_path": "", "headers": [(b"host", b"testserver"), *headers], "client": ("203.0.113.7", 50000), "server": ("testserver", 80)}
        asyncio.run(app(scope, receive, send))
        status = next(message["status"] for message in sent if message["type"] == "http.response.start")
        return status, b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")

    def test_without_install_it_says_so_instead_of_answering(self):
        response = self.app(install=False).get("/orders", headers={"Authorization": "Bearer kp_live_caller"})
        self.assertEqual(response.status_code, 500)
        self.assertEqual(_Handler.seen, [])


class PresentedKey(unittest.TestCase):
    def test_headers_are_read_as_keyport_reads_them(self):
        self.assertEqual(read_presented_key("Bearer kp_a", None), "kp_a")
        self.assertEqual(read_presented_key("bearer kp_a", "kp_a"), "kp_a")
        self.assertEqual(read_presented_key(None, "kp_a"), "kp_a")
        self.assertIsNone(read_presented_key(None, None))
        for authorization, api_key in [("Bearer kp_a", "kp_b"), ("Basic xx", None), ("Bearer a b", None), (None, "a b")]:
            with self.assertRaises(ValueError):
                read_presented_key(authorization, api_key)


if __name__ == "__main__":
    unittest.main()
