// Configuration for the Prisma CLI (prisma generate, and prisma migrate deploy on
// machines that have Prisma's native engine). DATABASE_URL picks the schema copy and
// migrations folder of its engine. Keyport itself migrates with `npm run db:migrate`.
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL || "file:./data/keyport.db";
const provider = url.startsWith("file:") ? "sqlite" : "postgresql";

export default defineConfig({
  schema: provider === "sqlite" ? "prisma/schema.prisma" : "prisma/postgresql/schema.prisma",
  migrations: { path: `prisma/migrations/${provider}` },
  datasource: { url },
});
