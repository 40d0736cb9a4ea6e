/**
 * `npm run seed [-- --reset] [--sku-limit N] [--as-of YYYY-MM-DD] [--domain D] [--data PATH]`
 * Seeds the demo shop into DATABASE_URL from ../shared/data (see docs/demo-data.md). The only place
 * the seed reads the clock: asOf defaults to today in Europe/London.
 */
import "dotenv/config";
import { parseArgs } from "node:util";
import { createPrismaClient } from "#app/db.server.ts";
import { londonDayOf } from "./seed/calendar.ts";
import { DEMO_SHOP_DOMAIN, seedDemoShop } from "./seed/demo-shop.ts";

const { values } = parseArgs({
  options: {
    reset: { type: "boolean", default: false },
    "sku-limit": { type: "string" },
    "as-of": { type: "string" },
    domain: { type: "string", default: DEMO_SHOP_DOMAIN },
    data: { type: "string" },
    seed: { type: "string" },
  },
});

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the database to seed (e.g. postgresql://app:app@127.0.0.1:5432/app).");
  process.exit(1);
}

const prisma = createPrismaClient(url);
try {
  const summary = await seedDemoShop(prisma, {
    domain: values.domain,
    dataPath: values.data,
    asOf: values["as-of"] ?? londonDayOf(new Date()),
    skuLimit: values["sku-limit"] === undefined ? undefined : Number(values["sku-limit"]),
    seed: values.seed === undefined ? undefined : Number(values.seed),
    reset: values.reset,
    databaseUrl: url,
    log: (line) => console.log(line),
  });
  if (!summary.skipped) {
    console.log(`\nSeeded ${summary.domain} (shop ${summary.shopId}) as of ${summary.asOf}:`);
    console.table(summary.counts);
    console.log(JSON.stringify(summary.stats));
    const t = summary.timingsMs;
    console.log(`write ms per table: ${JSON.stringify(t.tables)}`);
    console.log(`time: read ${(t.read / 1000).toFixed(1)} s, derive ${(t.derive / 1000).toFixed(1)} s, write ${(t.write / 1000).toFixed(1)} s, total ${(t.total / 1000).toFixed(1)} s`);
  }
} catch (error) {
  // Bad options are one line; anything else gets its stack.
  console.error(error instanceof RangeError ? `seed: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
