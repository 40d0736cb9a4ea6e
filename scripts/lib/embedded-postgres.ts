import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { findFreePort } from "./free-port.ts";

// PGlite (Postgres compiled to WASM) served on a loopback port, so the web process, the workers and
// the Prisma migration CLI all reach it through the same @prisma/adapter-pg as a real server.
// A PGlite directory can be opened by one process at a time: this process owns it.

export type EmbeddedPostgres = { url: string; pglite: PGlite; stop(): Promise<void> };

export async function startEmbeddedPostgres(options: {
  dataDir?: string; // persisted between runs; omit for in-memory
  loadDataDir?: Blob; // start from a dumped template (tests)
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  const pglite = new PGlite({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  await pglite.waitReady;
  const port = options.port ?? (await findFreePort());
  // Connections are multiplexed onto PGlite's single session one query at a time; enough room for
  // the web pool, the workers' pool and a migration run.
  const server = new PGLiteSocketServer({ db: pglite, host: "127.0.0.1", port, maxConnections: options.maxConnections ?? 40 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    pglite,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
