import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server.ts";

const valid = {
  DATABASE_URL: "postgresql://app:app@127.0.0.1:5432/app",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://replenish.example.com",
  APP_SECRET: "s".repeat(32),
};

describe("parseEnv", () => {
  it("applies defaults to a minimal valid environment", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({ REDIS_URL: "redis://127.0.0.1:6379", HOST: "127.0.0.1", PORT: 3000, DEMO_MODE: false, NODE_ENV: "development" });
  });

  it("names every malformed variable", () => {
    try {
      parseEnv({ ...valid, DATABASE_URL: "nope", PORT: "70000" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).issues.map((i) => i.variable).sort()).toEqual(["DATABASE_URL", "PORT"]);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("refuses demo mode in production or off loopback, because it skips Shopify authentication", () => {
    expect(() => parseEnv({ ...valid, DEMO_MODE: "true", NODE_ENV: "production" })).toThrow(/DEMO_MODE cannot be enabled when NODE_ENV=production/);
    expect(() => parseEnv({ ...valid, DEMO_MODE: "true", HOST: "0.0.0.0" })).toThrow(/DEMO_MODE requires HOST to be a loopback address/);
    expect(parseEnv({ ...valid, DEMO_MODE: "true" }).DEMO_MODE).toBe(true);
  });
});
