// Runs on npm install: generates the Prisma client for SQLite and for PostgreSQL from the
// one schema source, so DATABASE_URL alone picks the engine at run time.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { schemaFor } from "./schema-engine";

const root = path.resolve(__dirname, "..");
const postgresSchema = path.join(root, "prisma", "postgresql", "schema.prisma");
mkdirSync(path.dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, `// Generated from prisma/schema.prisma by scripts/prisma-generate.ts. Do not edit.\n${schemaFor("postgresql")}`);

const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || path.join(root, "scripts", "no-schema-engine.sh"),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
for (const schema of [path.join(root, "prisma", "schema.prisma"), postgresSchema]) {
  execFileSync(prismaBin, ["generate", "--schema", schema], { stdio: "inherit", env, cwd: root });
}
