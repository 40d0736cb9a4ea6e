import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "#tests/setup/infra.ts";

// The production server for browser tests: the already built app, server/index.ts in demo mode, in a
// child process with the environment the caller gives it. The e2e global setup starts the shared one;
// a test that needs a shop and a database of its own starts a second copy.

export type AppServer = { url: string; stop(): Promise<void>; log(): string };

export async function startAppServer(options: { port: number; buildDir: string; env: Record<string, string> }): Promise<AppServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "server/index.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      // Demo mode is refused with NODE_ENV=production (env.server.ts), so the build runs under "test".
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
