import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

/**
 * Runs a command asynchronously and resolves with its exit code and output. Never spawnSync here: the
 * embedded Postgres is served from this same event loop, and a blocking child that talks to it
 * (prisma migrate) would deadlock.
 */
export function execute(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Like execute(), but rejects with the command's output when it fails. */
export async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { code, output } = await execute(command, args, env);
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}:\n${output}`);
  return output;
}

/** The Prisma CLI on this Node, through the project's config (adapter workaround, timer preload). */
export function runPrismaCli(args: string[], databaseUrl: string): Promise<{ code: number; output: string }> {
  return execute(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), ...args], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    // See scripts/unref-long-timers.cjs: without it the WASM schema engine keeps the CLI alive ~60 s.
    NODE_OPTIONS: `--require ${path.join(root, "scripts/unref-long-timers.cjs")}`,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  });
}

export async function migrateDeploy(databaseUrl: string): Promise<void> {
  const { code, output } = await runPrismaCli(["migrate", "deploy"], databaseUrl);
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}) on ${redactPassword(databaseUrl)}:\n${output}`);
}

function redactPassword(connectionString: string): string {
  const url = new URL(connectionString);
  if (url.password) url.password = "***";
  return url.toString();
}
