import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase, randomSuffix, repoRoot, runDatabaseName, startPglite } from "#tests/setup/infra.ts";

// A second copy of the production server for a browser test that needs a shop and a database of its
// own (the shared e2e server serves the shared demo shop): the already built app (e2eBuildDir),
// server/index.ts in demo mode, with the environment the test gives it.

export type AppServer = { url: string; stop(): Promise<void>; log(): string };

export type OwnDatabase = { url: string; release(): Promise<void> };

/**
 * A migrated database of the test file's own: on PostgreSQL a copy of the run's template (named like the
 * run's other databases, so the run's teardown drops it even when the file never got to), else an
 * embedded PGlite started from the migrated snapshot. `release` drops or closes it.
 */
export async function createOwnDatabase(label: string): Promise<OwnDatabase> {
  if (inject("databaseMode") === "postgres") {
    const adminUrl = inject("adminDatabaseUrl")!;
    const templateUrl = inject("templateDatabaseUrl")!;
    const name = runDatabaseName(templateUrl, `${label}_${randomSuffix()}`);
    const url = await createDatabaseFromTemplate(adminUrl, name, new URL(templateUrl).pathname.slice(1));
    return { url, release: () => dropDatabase(adminUrl, name) };
  }
  const pglite = await startPglite(inject("pgliteTemplatePath"));
  return { url: pglite.url, release: () => pglite.close() };
}

export async function startAppServer(options: { port: number; buildDir: string; env: Record<string, string> }): Promise<AppServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "server/index.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "test",
      DEMO_MODE: "true",
      HOST: "127.0.0.1",
      PORT: String(options.port),
      BUILD_DIR: options.buildDir,
      SHOPIFY_APP_URL: url,
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      REPLENISH_PROCESS: "web-e2e",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (chunk: Buffer) => {
    log += chunk.toString();
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
  return { url, stop, log: () => log };
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the app server exited (${child.exitCode ?? child.signalCode}) before serving:\n${log()}`);
    try {
      const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the app server did not answer within 60 s:\n${log()}`);
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
