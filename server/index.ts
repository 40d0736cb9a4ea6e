import { initEnv } from "../app/env.server.ts";

// The web process: Express serving the Remix build. The environment is validated before anything
// else is imported, so a bad setting ends the process with one line instead of a stack trace.

export type WebServer = { url: string; close(): Promise<void> };

export async function startWebServer(options: { buildDir?: string } = {}): Promise<WebServer> {
  const env = initEnv();
  const path = await import("node:path");
  const { pathToFileURL } = await import("node:url");
  const express = (await import("express")).default;
  const { createRequestHandler } = await import("@remix-run/express");
  const { logger } = await import("../app/lib/logger.server.ts");

  const buildDir = path.resolve(options.buildDir ?? env.BUILD_DIR);
  const build = await import(pathToFileURL(path.join(buildDir, "server", "index.js")).href);

  const app = express();
  app.disable("x-powered-by");
  // Fingerprinted assets can be cached forever; everything else briefly.
  app.use("/assets", express.static(path.join(buildDir, "client", "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: env.NODE_ENV }));

  const server = await new Promise<import("node:http").Server>((resolve, reject) => {
    const listening = app.listen(env.PORT, env.HOST, () => resolve(listening));
    listening.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://${env.HOST}:${port}`;
  logger.info({ url, demo: env.DEMO_MODE }, "web server listening");
  return {
    url,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

const isEntryPoint = import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1] ?? "").href;
if (isEntryPoint) {
  const server = await startWebServer();
  const stop = async () => {
    await server.close();
    const { disconnectPrisma } = await import("../app/db.server.ts");
    await disconnectPrisma();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
