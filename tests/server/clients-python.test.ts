import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A SQLite file of this test's own, shared by this process and the server it starts.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("clients-python"));

import { startCli } from "../fixtures/cli";
import { startKeyportForClients } from "../fixtures/keyport-for-clients";
import { createTutorialSqlite, tutorialRows } from "../fixtures/legacy-tutorial";
import { requireProductionBuild } from "../fixtures/production-build";
import { freePort, waitFor } from "../scale/instances";

// clients/python against a real `npm start` server: its unittest suite (every management
// operation, verify_key's verdicts, typed errors), and a real FastAPI app protected by
// `Depends(keyport.require_key(...))`, served by uvicorn.
requireProductionBuild("/api/v1/verify/route");

const PYTHON_PACKAGE = path.resolve("clients/python");
// Debian's python3-fastapi, python3-uvicorn and python3-httpx (.ci/run installs them) live in
// /usr/bin/python3's packages; a python3 earlier on PATH (pyenv, a venv) may lack them.
const PYTHON_CANDIDATES = ["python3", "/usr/bin/python3"];
const probes = PYTHON_CANDIDATES.map((python) => ({ python, run: spawnSync(python, ["-c", "import fastapi, uvicorn, httpx"], { encoding: "utf8" }) }));
const PYTHON = probes.find((probe) => probe.run.status === 0)?.python;
const missing = PYTHON ? null : probes.map(({ python, run }) => `${python}: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}`).join("; ");
// In CI a missing dependency fails the suite; on a developer's machine without them it is skipped, saying why.
if (missing && process.env.CI) throw new Error(`The Python client tests need python3 with fastapi, uvicorn and httpx: ${missing}`);
if (missing) console.warn(`[clients-python] skipped: python3 with fastapi, uvicorn and httpx is needed (${missing})`);

let keyport: Awaited<ReturnType<typeof startKeyportForClients>>;
let appUrl: string;
let uvicorn: ChildProcess | undefined;
const uvicornLogs: string[] = [];

describe.skipIf(missing !== null)("the Python client", () => {
  beforeAll(async () => {
    keyport = await startKeyportForClients(databaseUrl);
    const port = await freePort();
    uvicorn = spawn(PYTHON!, ["-m", "uvicorn", "fastapi_app:app", "--app-dir", path.join(PYTHON_PACKAGE, "tests"), "--host", "127.0.0.1", "--port", String(port)], {
      env: { ...process.env, PYTHONPATH: PYTHON_PACKAGE, KEYPORT_URL: keyport.server.url, KEYPORT_API_KEY: keyport.serviceKey },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [uvicorn.stdout, uvicorn.stderr]) stream?.on("data", (chunk: Buffer) => uvicornLogs.push(chunk.toString()));
    appUrl = `http://127.0.0.1:${port}`;
    await waitFor(async () => uvicorn!.exitCode === null && (await fetch(`${appUrl}/docs`)).status === 200, 30_000, "uvicorn to serve the FastAPI app").catch((error: Error) => {
      throw new Error(`${error.message}; uvicorn said: ${uvicornLogs.join("").slice(-2_000)}`);
    });
  }, 120_000);

  afterAll(async () => {
    if (uvicorn && uvicorn.exitCode === null) {
      const exited = new Promise((resolve) => uvicorn!.once("exit", resolve));
      uvicorn.kill("SIGTERM");
      await exited;
    }
    await keyport?.server.stop();
  });

  it("its unittest suite passes against the server, none of it skipped", () => {
    const run = spawnSync(PYTHON!, ["-m", "unittest", "-v", "tests.test_client"], {
      cwd: PYTHON_PACKAGE,
      env: { ...process.env, PYTHONPATH: PYTHON_PACKAGE, KEYPORT_URL: keyport.server.url, KEYPORT_API_KEY: keyport.serviceKey },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^OK$/m);
    expect(run.stderr).not.toMatch(/skipped/);
    expect(run.stderr).toContain("test_every_management_operation");
  });

  const orders = (secret: string | null, method = "GET") => fetch(`${appUrl}/orders`, { method, headers: secret ? { authorization: `Bearer ${secret}` } : {} });

  it("FastAPI: a valid key gets 200 and the route sees its verified owner", async () => {
    const caller = await keyport.callerKey();
    const response = await orders(caller.secret);
    expect(response.status, uvicornLogs.join("")).toBe(200);
    expect(await response.json()).toEqual({ owner: { id: caller.owner.id, email: caller.owner.email }, keyId: caller.id, team: null, scopes: ["me:read"] });
    // X-API-Key works as well as Bearer.
    expect((await fetch(`${appUrl}/orders`, { headers: { "x-api-key": caller.secret } })).status).toBe(200);
  });

  it("FastAPI: a team's key gets 200 and the route sees its team", async () => {
    const teamKey = await keyport.teamKey("py-team");
    const response = await orders(teamKey.secret);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { team: unknown }).team).toEqual(teamKey.team);
  });

  it("FastAPI: a tutorial's MV_SECRET_ key keeps working after `keyport import-legacy` (the README's migration guide)", async () => {
    const rows = tutorialRows();
    const imported = await startCli(databaseUrl, ["import-legacy", "--from", createTutorialSqlite(rows)]).done;
    expect(imported.code, imported.stderr).toBe(0);
    const response = await orders(rows.secrets.grace);
    expect(response.status).toBe(200);
    const grace = rows.users.find((user) => user.user_id.startsWith("grace"))!;
    expect(((await response.json()) as { owner: { email: string } }).owner.email).toBe(grace.user_id);
  });

  it("FastAPI: a revoked key gets 401 with Keyport's error body; no key gets 401 missing_key", async () => {
    const caller = await keyport.callerKey();
    expect((await orders(caller.secret)).status).toBe(200);
    await keyport.revoke(caller.id, caller.owner.id);
    const revoked = await orders(caller.secret);
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("www-authenticate")).toBe('Bearer realm="keyport", error="invalid_token"');
    expect(await revoked.json()).toEqual({ error: { code: "revoked_key", message: "The API key has been revoked." } });
    const none = await orders(null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("missing_key");
  });

  it("FastAPI: a key without the route's scope gets 403 insufficient_scope", async () => {
    const caller = await keyport.callerKey();
    const response = await orders(caller.secret, "DELETE");
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "insufficient_scope", message: "The API key does not hold the scope this request needs. Missing: keys:write." } });
  });

  it("FastAPI: the client's IP is passed on: 403 ip_not_allowed from a disallowed address, 200 from an allowed one", async () => {
    const elsewhere = await keyport.callerKey({ ipAllowlist: ["203.0.113.0/24"] });
    const refused = await orders(elsewhere.secret);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("ip_not_allowed");
    const local = await keyport.callerKey({ ipAllowlist: ["127.0.0.1/32"] });
    expect((await orders(local.secret)).status).toBe(200);
  });
});
