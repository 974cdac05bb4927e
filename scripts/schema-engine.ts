/**
 * Prisma's real schema engine, compiled to WebAssembly, driven through a driver adapter.
 * The Prisma CLI would download a native engine binary, which these machines cannot
 * reach; this runs the same engine in-process, writes and reads the standard
 * migrations folder and the standard `_prisma_migrations` table, so the folders stay
 * valid for `prisma migrate deploy` wherever the binary is available.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

export type Provider = "sqlite" | "postgresql";

const root = path.resolve(__dirname, "..");
export const SCHEMA_PATH = path.join(root, "prisma", "schema.prisma");

export function providerOf(databaseUrl: string): Provider {
  if (databaseUrl.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: or postgresql:// (got "${databaseUrl.split(":")[0]}:…")`);
}

export function migrationsDir(provider: Provider): string {
  return path.join(root, "prisma", "migrations", provider);
}

/** The schema source with the provider (and generated client folder) of the given engine. */
export function schemaFor(provider: Provider): string {
  const source = readFileSync(SCHEMA_PATH, "utf8");
  if (provider === "sqlite") return source;
  return source
    .replace(/provider = "sqlite"/, 'provider = "postgresql"')
    .replace('output   = "../lib/generated/sqlite"', 'output   = "../../lib/generated/postgresql"');
}

export const FILTERS = { externalTables: [], externalEnums: [] };

/** Reads a Prisma-format migrations folder into the shape the engine takes. */
export function readMigrations(provider: Provider) {
  const baseDir = migrationsDir(provider);
  mkdirSync(baseDir, { recursive: true });
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const migrationDirectories = readdirSync(baseDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? ({ tag: "ok", value: readFileSync(file, "utf8") } as const)
            : ({ tag: "error", value: "missing migration.sql" } as const),
        },
      };
    });
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

function adapterFactory(databaseUrl: string) {
  if (providerOf(databaseUrl) === "sqlite") {
    const file = path.resolve(databaseUrl.replace(/^file:/, ""));
    mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSqlite3({ url: `file:${file}` });
  }
  // Pass the parts, not connectionString: the adapter makes its shadow database by
  // overriding `database`, which a connectionString would silently win over.
  const url = new URL(databaseUrl);
  return new PrismaPg({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: url.pathname.slice(1) || undefined,
    ssl: url.searchParams.get("sslmode") === "require" ? { rejectUnauthorized: false } : undefined,
    connectionTimeoutMillis: 5_000,
  });
}

let wasmReady: Promise<void> | undefined;

/** Node 20 cannot import a .wasm module, so the bindings are instantiated by hand. */
function loadWasm() {
  wasmReady ??= (async () => {
    const require = createRequire(__filename);
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), { "./schema_engine_bg.js": bg as never });
    const exports = instance.exports as { __wbindgen_start: () => void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

/** Starts the schema engine against the database DATABASE_URL names. */
export async function openSchemaEngine(databaseUrl: string) {
  await loadWasm();
  const provider = providerOf(databaseUrl);
  // The engine does not close its connections when freed; track them so close() can,
  // or a second migration in the same process waits on the first one's SQLite lock.
  const base: SqlMigrationAwareDriverAdapterFactory = adapterFactory(databaseUrl);
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => {
      const adapter = await base.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await base.connectToShadowDb();
      opened.push(adapter);
      // The engine replays each migration file on the shadow database as one raw command;
      // better-sqlite3 prepares one statement at a time, so a whole file goes through
      // executeScript instead.
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (query.args.length || !/more than one statement/.test(String(error))) throw error;
          await adapter.executeScript(query.sql);
          return 0;
        }
      };
      if (base.provider === "postgres") {
        // The pg adapter drops the shadow database before closing its pool, which
        // PostgreSQL refuses while those connections are open: close them first.
        const pool = (adapter as unknown as { underlyingDriver(): { end(): Promise<void> } }).underlyingDriver();
        const dispose = adapter.dispose.bind(adapter);
        adapter.dispose = async () => {
          await pool.end();
          await dispose().catch((error: unknown) => {
            if (!/more than once/.test(String(error))) throw error;
          });
        };
      }
      return adapter;
    },
  };
  const factory = bindMigrationAwareSqlAdapterFactory(tracked);
  const logs: string[] = [];
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schemaFor(provider)]] },
    (line: string) => logs.push(line),
    factory,
  );
  async function close() {
    engine.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
  return { engine, provider, logs, close };
}
