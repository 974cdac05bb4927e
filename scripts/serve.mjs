// Serves the built app (what `npm start` runs). A thin wrapper around Next's own request
// handler for one reason: Next fills X-Forwarded-For from the socket only when the request
// has none, so a client could claim any address. Unless TRUST_PROXY says a proxy of ours
// sets that header, it is dropped here, and Next records the real socket address instead.
// (Entry points read process.env directly; the app reads it through lib/env.ts.)
import { createServer } from "node:http";
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
  handle(request, response);
});
server.listen(port, hostname, () => {
  console.log(`Keyport is serving on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}${trustProxy ? " (trusting X-Forwarded-For)" : ""}`);
});
// On a stop (a deploy, a scale-down): refuse new connections, let requests in flight finish,
// then write what the app buffers (usage counts, lastUsedAt; lib/shutdown.ts) and exit.
// Bounded, so a client holding a connection open cannot keep the process alive.
const SHUTDOWN_LIMIT_MS = 10_000;
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, async () => {
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    await new Promise((resolve) => server.close(resolve));
    await globalThis[Symbol.for("keyport.shutdown")]?.();
    process.exit(0);
  });
}
