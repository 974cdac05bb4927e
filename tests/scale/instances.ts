import { type ChildProcess, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";

/** A port nobody is listening on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Instance {
  url: string;
  logs: string[];
  stop(): Promise<void>;
}

/** Starts one instance of the built app (scripts/serve.mjs, as `npm start` does) with its own environment, and waits until it answers. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [path.resolve("scripts/serve.mjs")], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_SECRET: "scale-secret-scale-secret-scale-secret-0",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split("\n").filter(Boolean).map((line) => `[${name}] ${line}`));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/api/health`)).status < 500, 60_000, `${name} to start`);
  return {
    url,
    logs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        // Past serve.mjs's own bound (8 s to drain connections, 5 s to write its buffers).
        setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
      }),
  };
}

/** GET /api/v1/me with a key; returns the status and the parsed body. */
export async function callMe(instance: Instance, secret: string) {
  const response = await fetch(`${instance.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  const body = (await response.json().catch(() => null)) as { error?: { code: string } } | null;
  return { status: response.status, code: body?.error?.code, headers: response.headers };
}
