// Serves the built app (what `npm start` runs). A thin wrapper around Next's own request
// handler, for what must be decided before Next reads a request:
// - Forwarding headers. Next fills X-Forwarded-For from the socket only when the request has
//   none, so a client could claim any address; and it believes X-Forwarded-Host and -Proto
//   (server actions' same-origin check, the origin the dashboard's examples show). Unless
//   TRUST_PROXY says a proxy of ours sets them, they are dropped here, and Next uses the real
//   socket address and Host instead.
// - Request bodies, for every route (/api/auth/* included, which Next would buffer whole):
//   at most MAX_BODY_BYTES, or a 413.
// - Methods no route handler can take (TRACE, CONNECT, PROPFIND…), on which Next answers a
//   500 with a stack trace in the log: a JSON 405.
// (Entry points read process.env directly; the app reads it through lib/env.ts. This file is
// not part of Next's bundles, so it cannot import it.)
import { createServer, STATUS_CODES } from "node:http";
import next from "next";

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME || "0.0.0.0";
const trustProxy = /^(1|true|yes)$/i.test(process.env.TRUST_PROXY ?? "");
/** 1 MiB: far above any form or API body Keyport takes (the largest, a leak report, is capped at 1 MiB too). */
const maxBodyBytes = parseByteCount(process.env.MAX_BODY_BYTES, 1_048_576);

function parseByteCount(value, fallback) {
  if (value === undefined || value.trim() === "") return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    console.error(`MAX_BODY_BYTES must be a positive whole number of bytes (got "${value.slice(0, 40)}").`);
    process.exit(1);
  }
  return Number(value);
}

const app = next({ dev: false, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

/** What route handlers can take (Next's HTTP_METHODS); Node's parser accepts many more. */
const ROUTE_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** lib/api/method-not-allowed.ts: REFUSED_METHOD_HEADER. */
const REFUSED_METHOD_HEADER = "x-keyport-refused-method";
const FORWARDING_HEADERS = ["x-forwarded-for", "x-real-ip", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

const server = createServer((request, response) => {
  if (!trustProxy) for (const name of FORWARDING_HEADERS) delete request.headers[name];
  delete request.headers[REFUSED_METHOD_HEADER];
  // Node keeps only the first of several Authorization headers; a proxy in front may use
  // the last, so such a request must not authenticate as either. Joined as the Fetch
  // standard joins them ("a, b"), the API's guard refuses it as it refuses any list.
  const authorizations = request.rawHeaders.filter((_, i, raw) => i % 2 === 1 && raw[i - 1].toLowerCase() === "authorization");
  if (authorizations.length > 1) request.headers.authorization = authorizations.join(", ");

  if (!ROUTE_METHODS.has(request.method)) {
    // /api routes answer with their own Allow: the request goes on as OPTIONS, marked, and
    // the route's OPTIONS handler (methodNotAllowed(...).options) answers the JSON 405. Pages
    // take GET and POST (server actions); nothing else is theirs to refuse in another way.
    if (!request.url?.startsWith("/api/")) {
      return refuse(request, response, 405, "method_not_allowed", "This path accepts GET and POST only.", { Allow: "GET, HEAD, POST" });
    }
    request.headers[REFUSED_METHOD_HEADER] = request.method;
    request.method = "OPTIONS";
  }
  if (bodyTooLarge(request)) return refuse(request, response, 413, "payload_too_large", `The request body may be at most ${maxBodyBytes} bytes.`);
  if (isChunked(request)) return bufferChunkedBody(request, response);
  handle(request, response);
});

function isChunked(request) {
  return request.headers["transfer-encoding"] !== undefined;
}

/** A declared length over the cap. (Node's parser stops a body at its Content-Length.) */
function bodyTooLarge(request) {
  const length = request.headers["content-length"];
  return length !== undefined && !isChunked(request) && Number(length) > maxBodyBytes;
}

/**
 * A chunked body has no length to check first: it is counted as it arrives and kept here
 * (never more than the cap) until it is whole, and only then does Next see the request, so a
 * body over the cap gets the 413 before any handler started on it. Node's parser hands each
 * piece of a body to the request with push(); this request's push takes them instead.
 */
function bufferChunkedBody(request, response) {
  const push = request.push.bind(request);
  const pieces = [];
  let size = 0;
  let refused = false;
  request.push = (chunk) => {
    if (refused) return true; // read and dropped, until the lingering close ends the connection
    if (chunk === null) {
      request.push = push;
      for (const piece of pieces) push(piece);
      push(null);
      handle(request, response);
      return false;
    }
    size += chunk.length;
    if (size > maxBodyBytes) {
      refused = true;
      pieces.length = 0;
      refuse(request, response, 413, "payload_too_large", `The request body may be at most ${maxBodyBytes} bytes.`);
      return true;
    }
    pieces.push(chunk);
    return true;
  };
}

/**
 * How long a refused client may go on sending before its connection is cut. Closing at once,
 * while it still uploads, makes our kernel answer its next bytes with a reset, which may
 * erase the refusal from the client's buffers before it reads it (RFC 9112, section 9.6).
 */
const LINGER_MS = 2_000;

/**
 * Answers in the one error shape (lib/api/errors.ts) and closes the connection cleanly: the
 * answer goes out with Connection: close; then our side of the connection is closed, and what
 * the client still sends is read and dropped until it closes its side or LINGER_MS passes.
 */
function refuse(request, response, status, code, message, headers = {}) {
  const body = JSON.stringify({ error: { code, message } });
  const socket = request.socket;
  // Node ends and destroys the socket once a Connection: close answer is written (destroySoon);
  // this socket lingers first.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    socket.once("end", () => socket.destroy());
    socket.once("close", () => clearTimeout(timer));
  };
  response.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    Connection: "close",
    ...headers,
  });
  response.end(body);
}

// A client that announces a large body and waits for "100 Continue" before sending it is
// refused before it sends anything (Node would otherwise invite every body at once).
server.on("checkContinue", (request, response) => {
  if (bodyTooLarge(request)) return refuse(request, response, 413, "payload_too_large", `The request body may be at most ${maxBodyBytes} bytes.`);
  response.writeContinue();
  server.emit("request", request, response);
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
// A well-formed request line with a method Node does not know at all (FOO /path HTTP/1.1): the
// 405 TRACE gets, without an Allow, since the request was not read far enough to know its
// route. A line that is not HTTP at all stays a 400.
const UNKNOWN_METHOD = [405, "method_not_allowed", "The request's method is not one this server accepts."];
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/1\.[01]$/;
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
  const requestLine = error.rawPacket?.toString("latin1").split(/\r?\n/)[0] ?? "";
  const [status, code, message] = refusedCredentialHeader(error.rawPacket)
    ? MALFORMED_KEY
    : error.code === "HPE_INVALID_METHOD" && REQUEST_LINE.test(requestLine)
      ? UNKNOWN_METHOD
      : (PARSER_REFUSALS[error.code] ?? [400, "bad_request", "The request is not valid HTTP."]);
  answerRaw(socket, status, code, message, status === 401 ? ['WWW-Authenticate: Bearer realm="keyport", error="invalid_token"'] : []);
});

// CONNECT (a proxy's tunnel request) never reaches the request handler: Node emits it apart
// and, with no listener, drops the connection unanswered. It gets the JSON 405 too.
server.on("connect", (request, socket) => {
  answerRaw(socket, 405, "method_not_allowed", "This server is not a proxy: CONNECT is not accepted.");
});

/** Writes a JSON error answer straight to a socket Node's HTTP layer has let go of, then closes it. */
function answerRaw(socket, status, code, message, extraHeaders = []) {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...extraHeaders,
      "Cache-Control: no-store",
      "X-Content-Type-Options: nosniff",
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
    // Node's sockets allow half-open: close ours once the answer is out, as Node's own does.
    () => socket.destroy(),
  );
}

server.listen(port, hostname, () => {
  console.log(`Keyport is serving on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}${trustProxy ? " (trusting X-Forwarded-For)" : ""}`);
});
// On a stop (a deploy, a scale-down): refuse new connections, let requests in flight finish
// (closing connections that are still open after DRAIN_MS), then write what the app buffers
// (usage counts, lastUsedAt; lib/shutdown.ts) and exit. The writes run however the drain
// ended, and are bounded too, so nothing a client does can keep the process alive. When they
// fail (the database is down) or run out of time, the exit is non-zero and stderr says what
// was lost, so an orchestrator and an operator both see it.
const DRAIN_MS = 8_000;
const FLUSH_MS = 5_000;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    const forceClose = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearTimeout(forceClose);
    const flush = globalThis[Symbol.for("keyport.shutdown")]?.() ?? Promise.resolve([]);
    const timedOut = new Promise((resolve) => setTimeout(() => resolve("timed out"), FLUSH_MS).unref());
    const lost = await Promise.race([flush, timedOut]);
    if (lost === "timed out") {
      console.error(`[keyport] shutdown: the database did not take the buffered usage counts and lastUsedAt stamps within ${FLUSH_MS} ms; they are lost.`);
      process.exit(1);
    }
    if (Array.isArray(lost) && lost.length > 0) {
      console.error(`[keyport] shutdown: the database refused the buffered writes; lost ${lost.join(" and ")}.`);
      process.exit(1);
    }
    process.exit(0);
  });
}
