// Building blocks shared by the global setup (once per run), the per-file setup and tests that need a
// database of their own (e.g. an empty one to migrate). Nothing here reads Vitest state.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Lower-case, identifier-safe and unique enough for names shared by parallel runs on one server. */
export function randomSuffix(bytes = 6): string {
  return randomBytes(bytes).toString("hex");
}

/**
 * Database names carry the run's id (its start time in base 36, then random hex), so the run's global
 * teardown can drop every database its workers made even if a worker died before its own afterAll,
 * and a later run can sweep databases left by a run that was killed (see sweepStaleTestDatabases).
 */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomSuffix(2)}`;
}

export function templateDatabaseName(runId: string): string {
  return `replenish_tpl_${runId}`;
}

/** A database of the run that made `templateUrl`: replenish_test_<runId>_<label>. */
export function runDatabaseName(templateUrl: string, label: string): string {
  const template = new URL(templateUrl).pathname.slice(1);
  const runId = template.replace(/^replenish_tpl_/, "");
  return `replenish_test_${runId}_${label}`;
}

const RUN_DATABASE = /^replenish_(?:tpl|test)_([0-9a-z]{8})[0-9a-f]{4}(?:_|$)/;

/** Drops test databases on the server whose run started more than `maxAgeMs` ago (a killed run never tore down). */
export async function sweepStaleTestDatabases(adminUrl: string, maxAgeMs = 6 * 3_600_000): Promise<void> {
  const names = await withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT datname::text AS name FROM pg_database WHERE datname LIKE 'replenish\\_t%'");
    return rows.map((row) => row.name);
  });
  for (const name of names) {
    const started = RUN_DATABASE.exec(name)?.[1];
    if (started && Date.now() - parseInt(started, 36) > maxAgeMs) await dropDatabase(adminUrl, name).catch(() => undefined);
  }
}

/** Drops the run's template and every database its workers created from it. */
export async function dropRunDatabases(adminUrl: string, templateUrl: string): Promise<void> {
  const prefix = runDatabaseName(templateUrl, "");
  const names = await withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT datname::text AS name FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    return rows.map((row) => row.name);
  });
  for (const name of names) await dropDatabase(adminUrl, name);
  await dropDatabase(adminUrl, new URL(templateUrl).pathname.slice(1));
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs the real migration CLI (the path production uses), so the test DBs prove it works. */
export async function runPrismaCli(args: string[], connectionString: string): Promise<{ code: number; output: string }> {
  const child = spawn(process.execPath, [`${repoRoot}node_modules/prisma/build/index.js`, ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: connectionString,
      // See scripts/unref-long-timers.cjs: without it the WASM schema engine keeps the CLI alive ~60 s.
      NODE_OPTIONS: `--require ${repoRoot}scripts/unref-long-timers.cjs`,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  });
  return { code, output };
}

export async function migrateDeploy(connectionString: string): Promise<void> {
  const { code, output } = await runPrismaCli(["migrate", "deploy"], connectionString);
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}) on ${redact(connectionString)}:\n${output}`);
}

function redact(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.password) url.password = "***";
  return url.toString();
}

export async function withPgClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// Any constant works; it only has to be the same for every worker of every run on this server.
const CREATE_DATABASE_LOCK = 727_001;

/**
 * `CREATE DATABASE … TEMPLATE` fails with "source database is being accessed by other users" while any
 * session is connected to the template, and parallel copies make that likely. So the copies are
 * serialized with an advisory lock held on the admin database (never on the template itself), and the
 * error is retried in case something else (a psql session, autovacuum) is briefly connected.
 */
export async function createDatabaseFromTemplate(adminUrl: string, name: string, template: string | undefined): Promise<string> {
  await withPgClient(adminUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [CREATE_DATABASE_LOCK]);
    try {
      const sql = `CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ""}`;
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(sql);
          break;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== "55006" || attempt >= 50) throw error; // 55006 = object_in_use
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [CREATE_DATABASE_LOCK]);
    }
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  // WITH (FORCE) ends any session a test leaked, so a forgotten pool cannot keep databases around.
  await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export type PgliteHandle = { url: string; db: PGlite; close(): Promise<void> };

/**
 * An in-process PGlite served over the Postgres wire protocol on a loopback port, so the app's own
 * @prisma/adapter-pg (and the migration CLI in a child process) reach it exactly like a real server.
 * PGlite is one session: the socket server queues other connections' queries while one is inside a
 * transaction, so parallel transactions are serialized rather than refused.
 */
export async function startPglite(templatePath?: string): Promise<PgliteHandle> {
  const db = templatePath ? new PGlite({ loadDataDir: new Blob([await readFile(templatePath)]) }) : new PGlite();
  await db.waitReady;
  // Enough for a Prisma pool (default 10 per client), a few extra clients and transactions.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 100 });
  await server.start();
  const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
  return {
    url,
    db,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type RedisHandle = { url: string; stop(): Promise<void> };

/** A private, non-persistent redis-server from PATH on a free loopback port. */
export async function startRedisServer(): Promise<RedisHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await waitForRedisReady(child);
      return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child) };
    } catch (error) {
      await stopChild(child);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(
          "Tests need Redis: set REDIS_URL, or install redis-server so the tests can start one " +
            "(Debian/Ubuntu: sudo apt-get install -y redis-server · macOS: brew install redis · " +
            "Docker: docker run -d -p 6379:6379 redis:7 and set REDIS_URL=redis://127.0.0.1:6379).",
        );
      }
      if (attempt >= 3) throw error;
    }
  }
}

function waitForRedisReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${log}`)), 10_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${log}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
