import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { findFreePort } from "./free-port.ts";

// Redis is the one service the demo and the tests cannot embed (no pure-JS Redis runs BullMQ's Lua),
// so use the configured one, else the local default, else start a private `redis-server` from PATH.

export type RedisHandle = { url: string; started: boolean; stop(): Promise<void> };

export const REDIS_INSTALL_HINT = [
  "Replenish needs Redis and none is answering. Install it with one of:",
  "  Debian/Ubuntu: sudo apt-get install -y redis-server",
  "  macOS:         brew install redis",
  "  Docker:        docker run -d -p 6379:6379 redis:7   (then REDIS_URL=redis://127.0.0.1:6379)",
  "or set REDIS_URL to a Redis you already run.",
].join("\n");

export async function pingRedis(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || "127.0.0.1", port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/** A private, non-persistent redis-server from PATH on a free loopback port. */
export async function startRedisServer(): Promise<RedisHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await waitForReady(child);
      return { url: `redis://127.0.0.1:${port}`, started: true, stop: () => stopChild(child) };
    } catch (error) {
      await stopChild(child);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(REDIS_INSTALL_HINT);
      if (attempt >= 3) throw error; // e.g. another process took the port between probe and bind
    }
  }
}

/** REDIS_URL if given (it must answer), else 127.0.0.1:6379 if it answers, else a private server. */
export async function ensureRedis(preferredUrl?: string): Promise<RedisHandle> {
  const candidate = preferredUrl ?? "redis://127.0.0.1:6379";
  if (await pingRedis(candidate)) return { url: candidate, started: false, stop: async () => {} };
  if (preferredUrl) throw new Error(`REDIS_URL=${preferredUrl} is not answering.\n${REDIS_INSTALL_HINT}`);
  return startRedisServer();
}

function waitForReady(child: ChildProcess): Promise<void> {
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
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code) => {
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
