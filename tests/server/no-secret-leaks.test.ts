import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// This file's own SQLite database, shared by this process (the library), the CLI and a real
// `next start`, so every byte any of them wrote is in one file to search.
const databaseUrl = await vi.hoisted(async () => (await import("../fixtures/fresh-database")).useFreshDatabase("no-secret-leaks"));

import { generateKeyPairSync, sign } from "node:crypto";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/api-keys/revoke-api-key";
import { rollApiKey } from "@/lib/api-keys/roll-api-key";
import { migrateDatabase } from "@/scripts/migrate-database";
import { type Instance, startInstance } from "../scale/instances";
import { createTestUser } from "../helpers/factories";
import { requireProductionBuild } from "../fixtures/production-build";
import { startCli } from "../fixtures/cli";

requireProductionBuild("/api/v1/leaks/route");

/** The CLI against this file's database. */
const keyport = (args: string[]) => startCli(databaseUrl, args).done;

let server: Instance | undefined;
afterAll(async () => {
  await server?.stop();
});

describe("no secret leaks", () => {
  it(
    "across create (CLI and library), use, roll, revoke, admin revoke and a leak report, no plaintext key is in the database file, the server's output or any response but its one reveal",
    async () => {
      const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      await migrateDatabase(databaseUrl);
      const owner = await createTestUser({ name: "Leak Test" });
      const admin = await createTestUser({ role: "ADMIN" });

      // The server and the CLI start in parallel: each takes seconds.
      const [started, cli] = await Promise.all([
        startInstance("server", {
          DATABASE_URL: databaseUrl,
          LEAKS_PUBLIC_KEYS: JSON.stringify({ "leak-test": publicKey.export({ type: "spki", format: "pem" }) }),
          // The library in this process revokes behind the server's back (no Redis here): with
          // the cache off, the server sees each revocation on its next request.
          KEY_CACHE_TTL_MS: "0",
          REDIS_URL: "",
        }),
        keyport(["keys", "create", "--user", owner.email, "--name", "cli key", "--scopes", "me:read,keys:write", "--env", "live"]),
      ]);
      server = started;
      expect(cli.code).toBe(0);
      const cliSecret = cli.stdout.trim(); // the CLI's one reveal

      const context = { actorId: owner.id, ip: "127.0.0.1", userAgent: "no-secret-leaks" };
      const create = (name: string) => createApiKey({ ownerId: owner.id, name, environment: "live", scopes: ["me:read", "keys:write"] }, context);
      const [rolled, adminRevoked, leaked] = await Promise.all([create("to roll"), create("admin revokes"), create("leaked")]);

      const responses: { what: string; status: number; body: string }[] = [];
      async function call(what: string, url: string, init: RequestInit = {}) {
        const response = await fetch(`${server!.url}${url}`, init);
        const body = await response.text();
        responses.push({ what, status: response.status, body });
        return { status: response.status, body };
      }
      const me = (what: string, secret: string) => call(what, "/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });

      // Use every key, then stop each one a different way.
      for (const [what, secret] of [["cli", cliSecret], ["roll", rolled.secret], ["admin", adminRevoked.secret], ["leak", leaked.secret]]) {
        expect((await me(`me with the ${what} key`, secret)).status).toBe(200);
      }

      const roll = await rollApiKey({ keyId: rolled.key.id, ownerId: owner.id, graceMs: 0 }, context);
      expect((await me("me with the rolled-away key", rolled.secret)).status).toBe(401);
      expect((await me("me with the key it rolled to", roll.secret)).status).toBe(200);

      const cliKeyId = JSON.parse((await me("me to learn the CLI key's id", cliSecret)).body).key.id as string;
      const deleted = await call("DELETE /api/v1/keys/{id}", `/api/v1/keys/${cliKeyId}`, { method: "DELETE", headers: { authorization: `Bearer ${cliSecret}` } });
      expect(deleted.status).toBe(200);
      expect((await me("me with the key revoked through the API", cliSecret)).status).toBe(401);

      await revokeApiKey({ keyId: adminRevoked.key.id, reason: "Admin: rotated after an incident" }, { actorId: admin.id, ip: "127.0.0.1", userAgent: "admin" });
      expect((await me("me with the admin-revoked key", adminRevoked.secret)).status).toBe(401);

      const report = JSON.stringify([{ token: leaked.secret, type: "keyport_api_key", url: "https://github.com/octocat/app/blob/1/.env", source: "content" }]);
      const reported = await call("POST /api/v1/leaks", "/api/v1/leaks", {
        method: "POST",
        headers: { "content-type": "application/json", "Github-Public-Key-Identifier": "leak-test", "Github-Public-Key-Signature": sign("sha256", Buffer.from(report), privateKey).toString("base64") },
        body: report,
      });
      expect(reported.status).toBe(200);
      expect(JSON.parse(reported.body)).toEqual([expect.objectContaining({ label: "true_positive" })]);
      expect((await me("me with the leaked key", leaked.secret)).status).toBe(401);

      await server.stop();

      // Every secret, and its random part alone (the first 12 characters are the display start, stored on purpose).
      const secrets = [cliSecret, rolled.secret, roll.secret, adminRevoked.secret, leaked.secret];
      const needles = secrets.flatMap((secret) => [secret, secret.slice(12)]);
      const file = databaseUrl.replace(/^file:/, "");
      const places: [string, Buffer][] = [
        ...[file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter((name) => existsSync(name)).map((name): [string, Buffer] => [path.basename(name), readFileSync(name)]),
        ["server stdout/stderr", Buffer.from(server.logs.join("\n"))],
        ["CLI stderr", Buffer.from(cli.stderr)],
        ...responses.map(({ what, body }): [string, Buffer] => [`response to ${what}`, Buffer.from(body)]),
      ];
      expect(places.map(([name]) => name)).toContain(path.basename(file));
      expect(readFileSync(file).length).toBeGreaterThan(0);
      const found = places.flatMap(([name, bytes]) => needles.filter((needle) => bytes.includes(needle)).map((needle) => `${name} holds ${needle.slice(0, 12)}…`));
      expect(found).toEqual([]);
      // A display start is there (the search read the right file), and the server logged no error.
      const stored = Buffer.concat(places.filter(([name]) => name.includes(path.basename(file))).map(([, bytes]) => bytes));
      expect(stored.includes(leaked.key.start)).toBe(true);
      expect(server.logs.join("\n")).not.toMatch(/unhandled error|Error:/);
    },
    60_000,
  );
});
