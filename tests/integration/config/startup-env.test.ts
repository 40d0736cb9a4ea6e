import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

// Boots the real entry points as a user would (`npm start`, `npm run workers`) with one bad setting.
function boot(entry: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        SHOPIFY_API_KEY: "key",
        SHOPIFY_API_SECRET: "secret",
        SHOPIFY_APP_URL: "https://replenish.test",
        APP_SECRET: "x".repeat(40),
        DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres",
        REDIS_URL: "redis://127.0.0.1:6379",
        PORT: "0",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe.each([
  ["web server", "server/index.ts"],
  ["workers", "workers/index.ts"],
])("%s start-up with a bad environment", (_name, entry) => {
  it.each([
    ["DATABASE_URL", "not-a-url"],
    ["DATABASE_URL", "mysql://root@127.0.0.1/replenish"],
    ["REDIS_URL", "127.0.0.1:6379"],
    ["REDIS_URL", "http://127.0.0.1:6379"],
  ])("%s=%s prints one line naming it and exits non-zero", async (variable, value) => {
    const { code, stderr, stdout } = await boot(entry, { [variable]: value });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull(); // exited by itself, not killed by the timeout
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid environment: ${variable} `));
    expect(stdout).toBe("");
  });

  it("names a missing required variable", async () => {
    const { code, stderr } = await boot(entry, { SHOPIFY_API_SECRET: "" });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^Invalid environment: SHOPIFY_API_SECRET /);
  });
});
