import "dotenv/config";
import { defineConfig } from "prisma/config";
import { migrationAdapter } from "./prisma/migrate-adapter.ts";

// Prisma 6.19 falls back to downloading a native engine when DATABASE_URL is unset (it cannot be fetched
// offline), so give it a placeholder for commands that never connect (generate, validate, diff --from-empty).
process.env.DATABASE_URL ??= "postgresql://postgres@127.0.0.1:5432/postgres";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => migrationAdapter(process.env.DATABASE_URL!),
});
