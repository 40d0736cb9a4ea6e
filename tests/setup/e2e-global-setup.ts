// Browser tests run against the real thing: the production build served by the production server
// entry (server/index.ts), in demo mode, on a database of its own seeded with a small demo shop.
// Runs after tests/setup/global-setup.ts, whose migrated template database it copies.
import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createPrismaClient } from "#app/db.server.ts";
import { E2E_DEMO_DOMAIN, seedE2eDemoShop } from "#tests/e2e/fixtures.ts";
import { execute } from "../../scripts/lib/run-command.ts";
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
async function startServer(databaseUrl: string, redisUrl: string, buildDir: string): Promise<{ url: string; stop: Teardown }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "server/index.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      // Demo mode is refused with NODE_ENV=production (env.server.ts), so the build runs under "test".
      NODE_ENV: "test",
      DEMO_MODE: "true",
      DEMO_SHOP_DOMAIN: E2E_DEMO_DOMAIN,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      BUILD_DIR: buildDir,
      SHOPIFY_API_KEY: "e2e-api-key",
      SHOPIFY_API_SECRET: "e2e-api-secret",
      SHOPIFY_APP_URL: url,
      APP_SECRET: "e2e-app-secret-0123456789abcdef0123456789",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      REPLENISH_PROCESS: "web-e2e",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log += chunk.toString();
    // The server's own log goes to the terminal too: a 500 in the browser test is explained here.
    process.stderr.write(chunk);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = () => stopChild(child);
  try {
    await waitUntilServing(url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the e2e web server exited (${child.exitCode ?? child.signalCode}) before serving:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the e2e web server did not answer within 60 s:\n${log()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
