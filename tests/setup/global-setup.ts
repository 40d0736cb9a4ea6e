// Runs once per `vitest run`, before any worker starts: migrates ONE template database with the real
// `prisma migrate deploy`, makes Redis available, and hands both to the workers (see provided.d.ts).
// Each test file then copies the template (setup-test-env.ts), so migrations run once, not per file.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  createDatabaseFromTemplate,
  dropRunDatabases,
  migrateDeploy,
  newRunId,
  repoRoot,
  startPglite,
  startRedisServer,
  sweepStaleTestDatabases,
  templateDatabaseName,
} from "./infra.ts";

type Teardown = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Teardown> {
  const teardowns: Teardown[] = [];
  const teardown = async () => {
    for (const step of teardowns.reverse()) {
      await step().catch((error: unknown) => process.stderr.write(`test teardown: ${String(error)}\n`));
    }
  };
  try {
    await prepareDatabase(project, teardowns);
    await prepareRedis(project, teardowns);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

async function prepareDatabase(project: TestProject, teardowns: Teardown[]): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    await sweepStaleTestDatabases(adminUrl);
    // Unique per run: several runs (engineers, CI jobs) may share one server.
    const template = templateDatabaseName(newRunId());
    const templateUrl = await createDatabaseFromTemplate(adminUrl, template, undefined);
    teardowns.push(() => dropRunDatabases(adminUrl, templateUrl));
    await migrateDeploy(templateUrl);
    project.provide("databaseMode", "postgres");
    project.provide("adminDatabaseUrl", adminUrl);
    project.provide("templateDatabaseUrl", templateUrl);
    project.provide("pgliteTemplatePath", undefined);
    project.provide("pgliteEmptyPath", undefined);
    return;
  }

  // Fresh machine: an embedded Postgres, migrated once through the socket (the CLI runs in a child
  // process and needs a wire-protocol server), then snapshotted for every test file to restore.
  const { template, empty } = await pgliteSnapshots();
  project.provide("databaseMode", "pglite");
  project.provide("pgliteTemplatePath", template);
  project.provide("pgliteEmptyPath", empty);
  project.provide("templateDatabaseUrl", undefined);
  project.provide("adminDatabaseUrl", undefined);
}

/**
 * PGlite's initdb takes 2–5 s and the migration another 1–2 s, so the snapshots are cached under the
 * git-ignored .cache/, keyed by the migrations' content and the PGlite version: a changed migration
 * gets a fresh template, the next run reuses it. Files are written under a temporary name and renamed,
 * so parallel runs never read half a snapshot.
 */
async function pgliteSnapshots(): Promise<{ template: string; empty: string }> {
  const cacheDir = join(repoRoot, ".cache", "test-pglite");
  const version = await packageVersion("@electric-sql/pglite");
  const hash = createHash("sha256").update(version).update(await packageVersion("prisma"));
  const migrationsDir = join(repoRoot, "prisma", "migrations");
  for (const entry of (await readdir(migrationsDir, { recursive: true })).sort()) {
    if (entry.endsWith(".sql") || entry.endsWith(".toml")) hash.update(entry).update(await readFile(join(migrationsDir, entry)));
  }
  const template = join(cacheDir, `template-${hash.digest("hex").slice(0, 16)}.tar`);
  const empty = join(cacheDir, `empty-${version}.tar`);
  if ((await exists(template)) && (await exists(empty))) return { template, empty };

  await mkdir(cacheDir, { recursive: true });
  const pglite = await startPglite();
  try {
    await writeAtomically(empty, await pglite.db.dumpDataDir("none"));
    await migrateDeploy(pglite.url);
    await writeAtomically(template, await pglite.db.dumpDataDir("none"));
  } finally {
    await pglite.close();
  }
  for (const stale of await readdir(cacheDir)) {
    if (stale.startsWith("template-") && join(cacheDir, stale) !== template) await rm(join(cacheDir, stale), { force: true });
  }
  return { template, empty };
}

async function writeAtomically(path: string, snapshot: Blob): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await snapshot.arrayBuffer()));
  await rename(partial, path);
}

async function packageVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function prepareRedis(project: TestProject, teardowns: Teardown[]): Promise<void> {
  if (process.env.REDIS_URL) {
    project.provide("redisUrl", process.env.REDIS_URL);
    return;
  }
  const redis = await startRedisServer();
  teardowns.push(() => redis.stop());
  project.provide("redisUrl", redis.url);
}
