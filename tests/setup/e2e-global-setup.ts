// Browser tests run against the real thing: the production build served by the production server
// entry (server/index.ts), in demo mode, on a database of its own seeded with a small demo shop.
// Runs after tests/setup/global-setup.ts, whose migrated template database it copies.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createPrismaClient } from "#app/db.server.ts";
import { E2E_DEMO_DOMAIN, seedE2eDemoShop } from "#tests/e2e/fixtures.ts";
import { execute } from "../../scripts/lib/run-command.ts";
import { startAppServer, type AppServer } from "#tests/support/app-server.ts";
import { createDatabaseFromTemplate, dropDatabase, freePort, randomSuffix, repoRoot, startPglite } from "./infra.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where the e2e web server listens, e.g. http://127.0.0.1:41234 (no trailing slash). */
    e2eBaseUrl: string;
    /** The production build the e2e server serves (its own folder, not build/). */
    e2eBuildDir: string;
  }
}

type Teardown = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Teardown> {
  const teardowns: Teardown[] = [];
  const teardown = async () => {
    for (const step of teardowns.reverse()) {
      await step().catch((error: unknown) => process.stderr.write(`e2e teardown: ${String(error)}\n`));
    }
  };
  try {
    // Its own build folder: a developer's running demo (serving build/) keeps its assets meanwhile.
    const buildDir = join(repoRoot, ".cache", `e2e-build-${randomSuffix()}`);
    teardowns.push(() => rm(buildDir, { recursive: true, force: true }));
    await buildApp(buildDir);
    project.provide("e2eBuildDir", buildDir);
    const databaseUrl = await createDatabase(project, teardowns);
    await seed(databaseUrl);
    const server = await startServer(databaseUrl, project.getProvidedContext().redisUrl, buildDir);
    teardowns.push(server.stop);
    project.provide("e2eBaseUrl", server.url);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

/** `remix vite:build`, exactly as `npm run build` does, into `buildDir`. */
async function buildApp(buildDir: string): Promise<void> {
  const { code, output } = await execute(process.execPath, [join(repoRoot, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    ...process.env,
    NODE_ENV: "production",
    BUILD_DIR: buildDir,
  });
  if (code !== 0) throw new Error(`remix vite:build failed (exit ${code}):\n${output}`);
}

async function createDatabase(project: TestProject, teardowns: Teardown[]): Promise<string> {
  const provided = project.getProvidedContext();
  if (provided.databaseMode === "postgres") {
    const adminUrl = provided.adminDatabaseUrl!;
    const template = new URL(provided.templateDatabaseUrl!).pathname.slice(1);
    const name = `replenish_e2e_${randomSuffix()}`;
    const url = await createDatabaseFromTemplate(adminUrl, name, template);
    teardowns.push(() => dropDatabase(adminUrl, name));
    return url;
  }
  // Embedded Postgres in this (the Vitest main) process, reached by the server over loopback.
  const pglite = await startPglite(provided.pgliteTemplatePath!);
  teardowns.push(() => pglite.close());
  return pglite.url;
}

async function seed(databaseUrl: string): Promise<void> {
  const db = createPrismaClient(databaseUrl);
  try {
    await seedE2eDemoShop(db, E2E_DEMO_DOMAIN);
  } finally {
    await db.$disconnect();
  }
}

/** server/index.ts in a child process, so the app reads its own validated environment like in production. */
async function startServer(databaseUrl: string, redisUrl: string, buildDir: string): Promise<AppServer> {
  return startAppServer({
    port: await freePort(),
    buildDir,
    env: {
      DEMO_SHOP_DOMAIN: E2E_DEMO_DOMAIN, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl,
      SHOPIFY_API_KEY: "e2e-api-key", SHOPIFY_API_SECRET: "e2e-api-secret", APP_SECRET: "e2e-app-secret-0123456789abcdef0123456789",
    },
  });
}
