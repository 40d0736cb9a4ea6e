import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./lib/embedded-postgres.ts";
import { findFreePort } from "./lib/free-port.ts";
import { ensureRedis, type RedisHandle } from "./lib/redis-server.ts";
import { migrateDeploy, runCommand } from "./lib/run-command.ts";

// `npm run demo`: the whole product on embedded defaults, in one process tree — embedded Postgres
// (PGlite on a loopback socket, data kept in .data/), migrations, the demo shop seeded from the real
// order log, the app server in demo mode (admin without Shopify OAuth, loopback only) and the workers.

export type DemoOptions = {
  port?: number; // default 3000, or a free port when 0
  dataDir?: string | null; // embedded Postgres directory; null = in memory (tests)
  databaseUrl?: string; // use this Postgres instead of the embedded one
  redisUrl?: string;
  skuLimit?: number; // how many products the demo shop gets (default: the seed's own, 200)
  asOf?: Date; // "today" for the seed: the order log is shifted to end yesterday
  build?: "if-needed" | "always" | "never";
  workers?: boolean;
  quiet?: boolean;
  channels?: boolean; // the Shopify sandbox with the demo store and the sales replay (default true)
  replaySpeed?: number; // demo days per real minute (default 1)
};

export type Demo = { url: string; adminUrl: string; databaseUrl: string; redisUrl: string; stop(): Promise<void> };

const root = path.resolve(import.meta.dirname, "..");

function say(quiet: boolean | undefined, line: string) {
  if (!quiet) process.stdout.write(`${line}\n`);
}

/** Secrets for the demo's fake Shopify app, generated once so signed links survive restarts. */
function demoSecrets(dataDir: string | null): { apiSecret: string; appSecret: string } {
  const fresh = () => ({ apiSecret: randomBytes(24).toString("hex"), appSecret: randomBytes(32).toString("hex") });
  if (!dataDir) return fresh();
  const file = path.join(dataDir, "demo-secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const secrets = fresh();
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const buildDir = () => path.resolve(root, process.env.BUILD_DIR ?? "build");

async function buildIfNeeded(mode: DemoOptions["build"], quiet?: boolean) {
  const serverBuild = path.join(buildDir(), "server", "index.js");
  const stale = !existsSync(serverBuild) || statSync(serverBuild).mtimeMs < newestMtime(path.join(root, "app"));
  if (mode === "never" || (mode !== "always" && !stale)) return;
  say(quiet, "• Building the app (remix vite:build)…");
  await runCommand("npx", ["remix", "vite:build"], { ...process.env, NODE_ENV: "production" });
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const started = Date.now();
  const cleanup: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    const dataDir = options.dataDir === undefined ? path.join(root, ".data") : options.dataDir;
    if (dataDir) mkdirSync(dataDir, { recursive: true });

    const redis: RedisHandle = await ensureRedis(options.redisUrl ?? process.env.REDIS_URL);
    cleanup.push(() => redis.stop());
    say(options.quiet, `• Redis: ${redis.url}${redis.started ? " (started for the demo)" : ""}`);

    let databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
    const embeddedDatabase = !databaseUrl;
    if (!databaseUrl) {
      const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir: dataDir ? path.join(dataDir, "pglite") : undefined });
      cleanup.push(() => embedded.stop());
      databaseUrl = embedded.url;
      say(options.quiet, `• Embedded Postgres (PGlite): ${databaseUrl}${dataDir ? ` — data in ${path.relative(root, path.join(dataDir, "pglite"))}/` : ""}`);
    }
    await migrateDeploy(databaseUrl);
    say(options.quiet, "• Migrations applied");

    const port = options.port === 0 ? await findFreePort() : (options.port ?? Number(process.env.PORT ?? 3000));
    const secrets = demoSecrets(dataDir);
    const mailbox = await startMailbox(cleanup);
    Object.assign(process.env, {
      // Demo mode is refused under NODE_ENV=production (it opens the admin without OAuth).
      NODE_ENV: process.env.NODE_ENV === "test" ? "test" : "development",
      DEMO_MODE: "true",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      // PGlite's socket runs one connection's messages between another's (electric-sql/pglite#1046):
      // a concurrent webhook INSERT and worker query got each other's Bind and failed with a 500. Web
      // and workers share this process's one Prisma pool, so one connection serialises them.
      ...(embeddedDatabase ? { DATABASE_POOL_MAX: "1" } : {}),
      REDIS_URL: redis.url,
      // One queue namespace per demo database: two demos on one Redis (two folders, or a folder and a test
      // run) would otherwise work each other's jobs, for the same demo shop id, against the wrong database.
      QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? `replenish-demo-${createHash("sha256").update(embeddedDatabase ? path.resolve(dataDir ?? ".data") : databaseUrl).digest("hex").slice(0, 8)}`,
      SHOPIFY_API_KEY: "replenish-demo",
      SHOPIFY_API_SECRET: secrets.apiSecret,
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      APP_SECRET: secrets.appSecret,
      ...mailbox.env, // every email and SMS goes to the demo mailbox (issue 6 item 8)
    });
    // The channel sandboxes start before any app module is imported: app/shopify.server.ts reads
    // SHOPIFY_ADMIN_ORIGIN at import.
    let sandboxes: import("./demo/channels.ts").DemoSandboxes | null = null;
    if (options.channels !== false && options.workers !== false) {
      const { startDemoSandboxes } = await import("./demo/channels.ts");
      sandboxes = await startDemoSandboxes({ apiSecret: secrets.apiSecret, apiKey: "replenish-demo", shopDomain: process.env.DEMO_SHOP_DOMAIN ?? "demo-shop.myshopify.com" });
      const started = sandboxes;
      cleanup.push(() => started.close());
    }
    // Validates what we just set; from here on the app modules read it.
    const { initEnv, getEnv } = await import("../app/env.server.ts");
    initEnv();

    const { prisma, disconnectPrisma } = await import("../app/db.server.ts");
    cleanup.push(() => disconnectPrisma());
    const { seedDemoShop } = await import("../prisma/seed/demo-shop.ts");
    const seedStarted = Date.now();
    const summary = await seedDemoShop(prisma, {
      domain: getEnv().DEMO_SHOP_DOMAIN,
      asOf: options.asOf ?? new Date(),
      databaseUrl, // bulk rows go through a direct pg connection: the same SQL, without Prisma's per-query cost
      ...(options.skuLimit ? { skuLimit: options.skuLimit } : {}),
    });
    say(options.quiet, `• Demo shop ready (${summary.created ? "seeded" : "already seeded"} in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s)`);

    await buildIfNeeded(options.build ?? "if-needed", options.quiet);
    const { startWebServer } = await import("../server/index.ts");
    const web = await startWebServer({ buildDir: buildDir() });
    cleanup.push(() => web.close());

    // The sandboxes get the store and the offline session before the workers start: on a restart the
    // workers at once run the channel jobs that fell due while the demo was stopped, and with the previous
    // run's session (a token the new sandbox never issued) they left Shopify marked "rejected the access token".
    if (sandboxes) {
      const connected = await sandboxes.connect({ prisma, shopId: summary.shopId, shopDomain: getEnv().DEMO_SHOP_DOMAIN });
      say(options.quiet, `• Shopify sandbox filled with the demo store (${connected.listings} listings; ${connected.marketplaceListings} Amazon/eBay listings; in ${(connected.ms / 1000).toFixed(1)} s)`);
    }

    if (options.workers !== false) {
      const { startWorkers } = await import("../workers/index.ts");
      const workers = await startWorkers();
      cleanup.push(() => workers.close());
      // A newcomer should see suggestions, explanations and draft POs at once, not after midnight:
      // the first start queues one run through the real worker, exactly as the nightly job does.
      // Keyed on full runs: the seed's own stock movements queue single-SKU (STOCK_CHANGE) runs, which must
      // not pass for the first plan (nor keep the reports below from being queued).
      const fullRuns = await prisma.reorderRun.count({ where: { shopId: summary.shopId, trigger: { in: ["NIGHTLY", "MANUAL"] } } });
      if (summary.created || fullRuns === 0) {
        const { requestManualReorder } = await import("../app/services/replenishment.server.ts");
        const queuedAt = new Date();
        await requestManualReorder(summary.shopId, { queues: workers.queues });
        say(options.quiet, "• First reorder run queued…");
        const run = await waitForFirstRun(prisma, summary.shopId, queuedAt);
        say(options.quiet, run ? `• Reorder run ${run.status.toLowerCase()}: ${run.suggestionCount} suggestions${run.error ? ` (${run.error})` : ""}` : "• Reorder run still going; it shows in the admin when done");
        const reports = await (await import("./demo/reports.ts")).queueDemoReports(summary.shopId, workers.queues);
        if (reports.length > 0) say(options.quiet, `• Queued the ${reports.join(" and ")} (Reports page)`);
      }
    }

    if (sandboxes) {
      await (await import("./demo/receipt.ts")).receiveDemoDelivery({ prisma, shopId: summary.shopId, say: (line) => say(options.quiet, line) }); // issue 5: a partial receipt reaches the sandboxes through push-stock
      const replay = await sandboxes.startSalesReplay({ prisma, shopId: summary.shopId, appUrl: web.url, speed: options.replaySpeed ?? 1, say: (line) => say(options.quiet, line) });
      cleanup.push(() => replay.stop()); // runs first on stop: the replay stops before everything else
    }

    const storefront = options.workers !== false ? await startStorefront(cleanup, prisma, summary.shopId, secrets.apiSecret, web.url) : null;

    const demo: Demo = { url: web.url, adminUrl: `${web.url}/app`, databaseUrl, redisUrl: redis.url, stop };
    say(options.quiet, "");
    say(options.quiet, `Replenish demo is running (${((Date.now() - started) / 1000).toFixed(1)} s):`);
    say(options.quiet, `  Merchant admin   ${demo.adminUrl}`);
    say(options.quiet, `  Products         ${web.url}/app/products`);
    say(options.quiet, `  Suppliers        ${web.url}/app/suppliers`);
    say(options.quiet, `  Purchase orders  ${web.url}/app/purchase-orders`);
    say(options.quiet, `  Supplier portal  ${(await (await import("./demo/portal-link.ts")).demoPortalUrl(prisma, summary.shopId, web.url)) ?? "(no open PO)"}`);
    if (sandboxes) {
      say(options.quiet, `  Channels         ${web.url}/app/channels`);
      say(options.quiet, `  Shopify sandbox  ${sandboxes.urls.shopify}`);
      say(options.quiet, `  Amazon sandbox   ${sandboxes.urls.amazon}`);
      say(options.quiet, `  eBay sandbox     ${sandboxes.urls.ebay}`);
    }
    say(options.quiet, `  Back in stock    ${web.url}/app/back-in-stock`);
    if (storefront) say(options.quiet, `  Storefront       ${storefront.productUrl}`);
    say(options.quiet, `  Mailbox          ${mailbox.url}`);
    say(options.quiet, "Press Ctrl+C to stop.");
    return demo;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The local SMTP server + SMS fake and their mailbox page; started before the app reads its environment. */
async function startMailbox(cleanup: (() => Promise<void>)[]) {
  const { startDemoMailbox } = await import("./demo/mailbox.ts");
  const mailbox = await startDemoMailbox();
  cleanup.push(() => mailbox.close());
  return mailbox;
}

/** The storefront-like product page with the back-in-stock block (a sold-out variant with an open PO's ETA). */
async function startStorefront(cleanup: (() => Promise<void>)[], prisma: import("@prisma/client").PrismaClient, shopId: string, apiSecret: string, appUrl: string) {
  const { startDemoStorefront } = await import("./demo/storefront.ts");
  const { getEnv } = await import("../app/env.server.ts");
  const storefront = await startDemoStorefront({ prisma, shopId, shopDomain: getEnv().DEMO_SHOP_DOMAIN, apiSecret, appUrl });
  if (storefront) cleanup.push(() => storefront.close());
  return storefront;
}

function parseArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === "--port") options.port = Number(need());
    else if (flag === "--sku-limit") options.skuLimit = Number(need());
    else if (flag === "--data-dir") options.dataDir = path.resolve(need());
    else if (flag === "--no-channels") options.channels = false;
    else if (flag === "--replay-speed") {
      options.replaySpeed = Number(need());
      if (!(options.replaySpeed > 0)) throw new Error("--replay-speed must be a positive number");
    }
    else if (flag === "--help") {
      process.stdout.write("npm run demo -- [--port 3000] [--sku-limit 300] [--data-dir .data] [--no-channels] [--replay-speed 1]\n");
      process.exit(0);
    } else throw new Error(`Unknown option ${flag} (try --help)`);
  }
  for (const [name, value] of [["--port", options.port], ["--sku-limit", options.skuLimit]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new Error(`${name} must be a whole number`);
  }
  return options;
}

/** The full run queued at `queuedAt` (not a single-SKU run the seed's stock movements queued meanwhile). */
async function waitForFirstRun(db: import("@prisma/client").PrismaClient, shopId: string, queuedAt: Date, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const run = await db.reorderRun.findFirst({
      where: { shopId, trigger: "MANUAL", status: { not: "RUNNING" }, startedAt: { gte: new Date(queuedAt.getTime() - 1_000) } },
      orderBy: { startedAt: "desc" },
    });
    if (run) return run;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}

const isEntryPoint = import.meta.url === pathToFileURL(process.argv[1] ?? "").href;
if (isEntryPoint) {
  try {
    const demo = await startDemo(parseArgs(process.argv.slice(2)));
    const shutdown = async () => {
      process.stdout.write("\nStopping the demo…\n");
      await demo.stop();
      process.exit(0);
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
