import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  url: string;
  /** Every request received, in order: method, path and body. */
  requests: { method: string; path: string; body: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

/** A real HTTP server on an ephemeral port, answering with `handle` (its nth request is `index`). */
export async function startLocalServer(
  handle: (request: { method: string; path: string; body: string; index: number }, response: ServerResponse) => void,
): Promise<LocalServer> {
  const requests: LocalServer["requests"] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const entry = { method: request.method ?? "", path: request.url ?? "", body, headers: request.headers };
      requests.push(entry);
      handle({ ...entry, index: requests.length - 1 }, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}
