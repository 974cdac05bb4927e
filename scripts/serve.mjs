// Serves the built app (what `npm start` runs). A thin wrapper around Next's own request
// handler for one reason: Next fills X-Forwarded-For from the socket only when the request
// has none, so a client could claim any address. Unless TRUST_PROXY says a proxy of ours
// sets that header, it is dropped here, and Next records the real socket address instead.
// (Entry points read process.env directly; the app reads it through lib/env.ts.)
import { createServer, STATUS_CODES } from "node:http";
import next from "next";

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || "0.0.0.0";
const trustProxy = /^(1|true|yes)$/i.test(process.env.TRUST_PROXY ?? "");

const app = next({ dev: false, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((request, response) => {
  if (!trustProxy) {
    delete request.headers["x-forwarded-for"];
    delete request.headers["x-real-ip"];
  }
  // Node keeps only the first of several Authorization headers; a proxy in front may use
  // the last, so such a request must not authenticate as either. Joined as the Fetch
  // standard joins them ("a, b"), the API's guard refuses it as it refuses any list.
  const authorizations = request.rawHeaders.filter((_, i, raw) => i % 2 === 1 && raw[i - 1].toLowerCase() === "authorization");
  if (authorizations.length > 1) request.headers.authorization = authorizations.join(", ");
  handle(request, response);
});
// Requests Node's HTTP parser refuses (a NUL or a bare LF in a header, headers past its
// 16 KB limit, a broken chunk) never reach Next; Node would answer them with an empty body.
// They get the API's one error shape instead (lib/api/errors.ts), so every answer a client
// sees is JSON: a 401 malformed_key when the refused line is a credential header, as the
// API answers any malformed key. Nothing of the request is echoed.
const PARSER_REFUSALS = {
  HPE_HEADER_OVERFLOW: [431, "headers_too_large", "The request's headers are larger than 16 KB."],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "request_timeout", "The request did not arrive in time."],
};
const MALFORMED_KEY = [401, "malformed_key", "The API key is not in a valid format."];

/** Whether the header line Node refused is a credential (a control character in a key, say). */
function refusedCredentialHeader(rawPacket) {
  if (!rawPacket) return false;
  const lines = rawPacket.toString("latin1").split(/\r?\n/).slice(1);
  const refused = lines.find((line) => /[^\t\x20-\x7e\x80-\xff]/.test(line));
  return refused !== undefined && /^(authorization|x-api-key)\s*:/i.test(refused);
}

server.on("clientError", (error, socket) => {
  // A reset connection cannot be answered, nor one whose response has begun. This is Node's own
  // rule: a request with a broken body (a bad chunk) still gets its answer. (A client that
  // pipelines a broken request behind a good one may get this answer for the good one, as
  // with Node's default; only that client's own requests are affected.)
  if (error.code === "ECONNRESET" || !socket.writable || socket._httpMessage?.headersSent) return socket.destroy();
  const [status, code, message] = refusedCredentialHeader(error.rawPacket)
    ? MALFORMED_KEY
    : (PARSER_REFUSALS[error.code] ?? [400, "bad_request", "The request is not valid HTTP."]);
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...(status === 401 ? ['WWW-Authenticate: Bearer realm="keyport", error="invalid_token"'] : []),
      "Cache-Control: no-store",
      "X-Content-Type-Options: nosniff",
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
    // Node's sockets allow half-open: close ours once the answer is out, as Node's own does.
    () => socket.destroy(),
  );
});

server.listen(port, hostname, () => {
  console.log(`Keyport is serving on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}${trustProxy ? " (trusting X-Forwarded-For)" : ""}`);
});
// On a stop (a deploy, a scale-down): refuse new connections, let requests in flight finish
// (closing connections that are still open after DRAIN_MS), then write what the app buffers
// (usage counts, lastUsedAt; lib/shutdown.ts) and exit. The writes run however the drain
// ended, and are bounded too, so nothing a client does can keep the process alive.
const DRAIN_MS = 8_000;
const FLUSH_MS = 5_000;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    const forceClose = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(forceClose);
    const flush = globalThis[Symbol.for("keyport.shutdown")]?.() ?? Promise.resolve();
    await Promise.race([flush, new Promise((resolve) => setTimeout(resolve, FLUSH_MS))]);
    process.exit(0);
  });
}
