import { z } from "zod";

// Every setting is read here, once, and validated (ARCHITECTURE principle 6). A missing or malformed
// value stops the process with one line naming the variable, before anything connects anywhere.

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((value) => value === "true" || value === "1");

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return protocols.includes(url.protocol) && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: urlWithProtocols(["postgresql:", "postgres:"], "postgresql://user:pass@127.0.0.1:5432/replenish"),
    // Connections per process (pg pool; default 10). The demo's embedded PGlite needs 1: its socket
    // interleaves the messages of concurrent connections (electric-sql/pglite#1046).
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).optional(),
    REDIS_URL: urlWithProtocols(["redis:", "rediss:"], "redis://127.0.0.1:6379").default("redis://127.0.0.1:6379"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000), // 0 = any free port (tests)
    BUILD_DIR: z.string().min(1).default("build"), // where `npm run build` wrote the app
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SHOPIFY_API_KEY: z.string().min(1),
    SHOPIFY_API_SECRET: z.string().min(1),
    SHOPIFY_APP_URL: urlWithProtocols(["https:", "http:"], "https://replenish.example.com"),
    SCOPES: z.string().min(1).default("read_products,write_products,read_orders,read_inventory,write_inventory,read_locations,read_merchant_managed_fulfillment_orders,read_third_party_fulfillment_orders,write_app_proxy"),
    // Shipment tracking of supplier POs (AfterShip-style REST API; tests and the demo use sandbox/carrier).
    // Without a key the delivery check does nothing.
    CARRIER_TRACKING_API_BASE: urlWithProtocols(["https:", "http:"], "https://api.aftership.com/tracking/2024-04").default("https://api.aftership.com/tracking/2024-04"),
    CARRIER_TRACKING_API_KEY: z.string().min(1).optional(),
    // Points Shopify's own client at a local sandbox (tests, demo). Unset in production.
    SHOPIFY_ADMIN_ORIGIN: urlWithProtocols(["http:", "https:"], "http://127.0.0.1:4010").optional(),
    // Signs supplier-portal links and encrypts stored channel credentials.
    APP_SECRET: z.string().min(32, { message: "must be at least 32 characters" }),
    QUEUE_PREFIX: z.string().regex(/^[a-z0-9-]+$/, { message: "must be lower-case letters, digits or '-'" }).default("replenish"),
    DEMO_MODE: booleanFlag,
    DEMO_SHOP_DOMAIN: z.string().default("demo-shop.myshopify.com"),
    // Outgoing email (shopper alerts, supplier POs, digests). The default is the demo's local mailbox.
    SMTP_URL: urlWithProtocols(["smtp:", "smtps:"], "smtp://user:pass@smtp.example.com:587").default("smtp://127.0.0.1:2525"),
    MAIL_FROM: z.string().min(3).default("Replenish <no-reply@replenish.local>"),
    // Text messages through a Twilio-compatible REST API (the demo and tests point it at sandbox/twilio).
    TWILIO_API_BASE: urlWithProtocols(["https:", "http:"], "https://api.twilio.com").default("https://api.twilio.com"),
    TWILIO_ACCOUNT_SID: z.string().min(1).default("AC00000000000000000000000000000000"),
    TWILIO_AUTH_TOKEN: z.string().min(1).default("unset"),
    TWILIO_FROM: z.string().regex(/^\+[1-9]\d{6,14}$/, { message: "must be an E.164 phone number like +15005550006" }).default("+15005550006"),
    // The email/SMS provider's rate limit: at most this many deliveries per second across all workers.
    NOTIFICATIONS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(50),
  })
  .superRefine((env, ctx) => {
    // Demo mode opens the admin without Shopify OAuth: only ever on a developer's own loopback.
    if (env.DEMO_MODE && env.NODE_ENV === "production") {
      ctx.addIssue({ code: "custom", path: ["DEMO_MODE"], message: "cannot be enabled when NODE_ENV=production" });
    }
    if (env.DEMO_MODE && !["127.0.0.1", "localhost", "::1"].includes(env.HOST)) {
      ctx.addIssue({ code: "custom", path: ["DEMO_MODE"], message: "requires HOST to be a loopback address (127.0.0.1)" });
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid environment: ${issues.map((i) => `${i.variable} ${i.message}`).join("; ")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(raw: Record<string, string | undefined>): Env {
  // `VAR=` in a shell or .env file means "not set", not "set to nothing".
  const source = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ""));
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.code === "invalid_type" && source[String(issue.path[0])] === undefined ? "is required" : issue.message,
      })),
    );
  }
  return result.data;
}

let current: Env | undefined;

/** Validates process.env once; on failure prints one line naming the variable(s) and exits with 1. */
export function initEnv(): Env {
  if (current) return current;
  try {
    current = parseEnv(process.env);
    return current;
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The validated environment. Throws (instead of exiting) when called inside a request before init. */
export function getEnv(): Env {
  return current ?? (current = parseEnv(process.env));
}

/** For tests that change process.env between cases. */
export function resetEnvForTests() {
  current = undefined;
}
