// npm run test:scale – the scale-out mode, for real: the integration and browser suites on
// PostgreSQL, then the multi-instance, Redis-fault and database-fault suite. Each suite gets
// a fresh database of this run's own on the local PostgreSQL, dropped at the end; the
// machine's services are never stopped. Needs PostgreSQL at SCALE_POSTGRES_URL (default
// postgresql://postgres@127.0.0.1:5432) and Redis at SCALE_REDIS_URL (default redis://127.0.0.1:6379).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";

const server = (process.env.SCALE_POSTGRES_URL || "postgresql://postgres@127.0.0.1:5432").replace(/\/+$/, "");
const redisUrl = process.env.SCALE_REDIS_URL || "redis://127.0.0.1:6379";
const runId = `keyport_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
const suites = ["integration", "e2e", "scale"] as const;
const databaseOf = (suite: string) => `${runId}_${suite}`;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${server}/postgres`, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function run(label: string, command: string, args: string[], env: Record<string, string>) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
}

async function main() {
  await admin(async (client) => {
    for (const suite of suites) await client.query(`CREATE DATABASE "${databaseOf(suite)}"`);
  });
  try {
    run("build (when the sources changed)", "node", ["scripts/build-if-changed.mjs"], {});
    const url = (suite: string) => `${server}/${databaseOf(suite)}`;
    run("integration suite on PostgreSQL", "npx", ["vitest", "run"], { TEST_DATABASE_URL: url("integration") });
    run("browser suite on PostgreSQL", "npx", ["playwright", "test"], { TEST_DATABASE_URL: url("e2e"), E2E_PORT: "3210" });
    run("scale-out suite (PostgreSQL + Redis, several instances)", "npx", ["vitest", "run", "-c", "vitest.scale.config.mts"], {
      TEST_DATABASE_URL: url("scale"),
      SCALE_REDIS_URL: redisUrl,
    });
  } finally {
    await admin(async (client) => {
      for (const suite of suites) await client.query(`DROP DATABASE IF EXISTS "${databaseOf(suite)}" WITH (FORCE)`);
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
