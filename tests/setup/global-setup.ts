// Runs once per `vitest run`, before any worker starts: migrates ONE template database with the real
// `prisma migrate deploy`, makes Redis available, and hands both to the workers (see provided.d.ts).
// Each test file then copies the template (setup-test-env.ts), so migrations run once, not per file.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabaseFromTemplate, dropDatabase, migrateDeploy, randomSuffix, startPglite, startRedisServer } from "./infra.ts";

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
    // pid + time: several runs (engineers, CI jobs) may share one server.
    const template = `replenish_tpl_${process.pid}_${Date.now()}_${randomSuffix(2)}`;
    const templateUrl = await createDatabaseFromTemplate(adminUrl, template, undefined);
    teardowns.push(() => dropDatabase(adminUrl, template));
    await migrateDeploy(templateUrl);
    project.provide("databaseMode", "postgres");
    project.provide("adminDatabaseUrl", adminUrl);
    project.provide("templateDatabaseUrl", templateUrl);
    project.provide("pgliteTemplatePath", undefined);
    return;
  }

  // Fresh machine: an embedded Postgres, migrated once through the socket (the CLI runs in a child
  // process and needs a wire-protocol server), then snapshotted for every test file to restore.
  const dir = await mkdtemp(join(tmpdir(), "replenish-pglite-"));
  teardowns.push(() => rm(dir, { recursive: true, force: true }));
  const pglite = await startPglite();
  try {
    await migrateDeploy(pglite.url);
    const snapshot = await pglite.db.dumpDataDir("none");
    const tarball = join(dir, "template.tar");
    await writeFile(tarball, Buffer.from(await snapshot.arrayBuffer()));
    project.provide("databaseMode", "pglite");
    project.provide("pgliteTemplatePath", tarball);
    project.provide("templateDatabaseUrl", undefined);
    project.provide("adminDatabaseUrl", undefined);
  } finally {
    await pglite.close();
  }
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
