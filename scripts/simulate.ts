/**
 * npm run simulate -- [--scenario file.json] [--json]
 * Replays the UCI Online Retail log against each replenishment policy (see docs/simulator.md).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { loadRetailDataset, DEFAULT_RETAIL_DATASET_PATH } from "#app/lib/retail-dataset.server.ts";
import { parseScenario, scenarioFitsLog, type Scenario } from "#app/domain/simulation/scenario.ts";
import { buildSimulationSkus } from "#app/domain/simulation/select-skus.ts";
import { drawSuppliers, simulateReplenishment, type SimulationMetrics } from "#app/domain/simulation/simulate.ts";
import { createPolicy, POLICY_NAMES, type PolicyName } from "#app/domain/simulation/policies.ts";
import { createRng } from "#app/domain/shared/random.ts";
import { hindsightBound, ISSUE_TARGETS } from "#app/domain/simulation/hindsight-bound.ts";
import { runHistoryFile } from "./lib/simulate-history.ts";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: npm run simulate -- [--scenario file.json] [--json]\n       npm run simulate -- --history shop-history.json [--json] [--progress]");
  process.exit(2);
}

function invalidScenario(errors: string[]): never {
  return usage(`invalid scenario:\n  ${errors.join("\n  ")}`);
}

const args = process.argv.slice(2);
let scenarioPath: string | null = null;
let json = false;
let historyPath: string | null = null;
let progress = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === "--scenario") scenarioPath = args[++i] ?? usage("--scenario needs a file");
  else if (a === "--json") json = true;
  else if (a === "--history") historyPath = args[++i] ?? usage("--history needs a file");
  else if (a === "--progress") progress = true;
  else if (a === "--help" || a === "-h") usage();
  else usage(`unknown argument ${a}`);
}

if (historyPath) {
  // A shop's own history (the trust report's input): its SKUs, suppliers and settings come from the file.
  if (scenarioPath) usage("--history and --scenario cannot be combined");
  let lastPercent = -1;
  const run = await runHistoryFile(historyPath, progress ? (f) => {
    const percent = Math.floor(f * 100);
    if (percent !== lastPercent) process.stderr.write(`progress ${(lastPercent = percent)}\n`);
  } : undefined).catch((e: unknown) => usage((e as Error).message));
  // Written with a callback: process.exit would otherwise cut a large JSON short on a pipe.
  if (json) await new Promise((done) => process.stdout.write(`${JSON.stringify(run.results, null, 2)}\n`, done));
  else {
    console.log(run.summary);
    const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
    for (const r of run.results) console.log(`${r.policy}: in-stock ${pct(r.inStock)}, A ${pct(r.inStockA)}, days of supply ${r.daysOfSupply.toFixed(1)}, ${r.purchaseOrders} POs averaging ${r.averagePurchaseOrderValue.toFixed(2)}`);
    const a = run.actual;
    console.log(`actual: in-stock ${pct(a.inStock)}, A ${pct(a.inStockA)}, days of supply ${a.daysOfSupply.toFixed(1)}, ${a.purchaseOrders} POs averaging ${a.averagePurchaseOrderValue.toFixed(2)}`);
  }
  process.exit(0);
}

let raw: unknown = {};
if (scenarioPath) {
  try {
    raw = JSON.parse(await readFile(scenarioPath, "utf8"));
  } catch (e) {
    usage(`cannot read scenario ${scenarioPath}: ${(e as Error).message}`);
  }
}
const parsed = parseScenario(raw);
if (!parsed.ok) invalidScenario(parsed.errors);
const scenario: Scenario = parsed.value;
const names = (scenario.policies ?? [...POLICY_NAMES]) as PolicyName[];
for (const n of names) if (!POLICY_NAMES.includes(n)) usage(`unknown policy ${n}; known: ${POLICY_NAMES.join(", ")}`);

const dataset = await loadRetailDataset(scenario.dataFile ? resolve(scenario.dataFile) : DEFAULT_RETAIL_DATASET_PATH).catch((e: unknown) => usage(`cannot read the order log: ${(e as Error).message}`));
const misfits = scenarioFitsLog(scenario, dataset.days);
if (misfits.length > 0) invalidScenario(misfits);
const rng = createRng(scenario.seed);
const suppliers = drawSuppliers(scenario, rng);
const skus = buildSimulationSkus(dataset.products, dataset.days, scenario, suppliers.length);
if (skus.length === 0) usage("no SKU matches the scenario's selection");

const results: SimulationMetrics[] = [];
for (const name of names) {
  const started = performance.now();
  const policy = createPolicy(name, { firstDay: dataset.firstDay, leadTimeHistory: 60 });
  results.push(simulateReplenishment(skus, suppliers, scenario, policy));
  if (!json) process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

if (json) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  const money = (x: number): string => `£${Math.round(x).toLocaleString("en-GB")}`;
  console.log(
    `scenario: seed ${scenario.seed}, ${skus.length} SKUs, ${suppliers.length} suppliers, lead-time scale ${scenario.leadTimeScale}, warm-up ${scenario.warmupDays} d, review every ${scenario.reviewDays} d, ${scenario.unmetDemand} demand`,
  );
  console.log(`suppliers: ${suppliers.map((s) => `${s.lowDays}-${s.highDays}${s.lateProbability > 0 ? "*" : ""}`).join(" ")} (days before scale; * = sometimes 60% late)`);
  const rows = results.map((r) => [
    r.policy, pct(r.inStock), pct(r.inStockA), pct(r.fillRate), String(r.stockoutsA), r.daysOfSupply.toFixed(1), String(r.purchaseOrders),
    money(r.averagePurchaseOrderValue), money(r.deadStockValue), money(r.carryingCost),
  ]);
  const header = ["policy", "in-stock", "in-stock A", "fill rate", "A stock-outs", "days of supply", "POs", "avg PO", "dead stock", "carrying cost"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  // Not a policy (it knows the future): the yardstick for how much stock the in-stock targets need at all.
  const bound = hindsightBound(skus, suppliers, scenario);
  const published = results.find((r) => r.policy === "published-ewa");
  console.log(
    `hindsight bound: fixed per-SKU order-up-to levels chosen knowing the whole replay reach A-class ≥ ${pct(ISSUE_TARGETS.inStockA)} and all ≥ ${pct(ISSUE_TARGETS.inStock)} ` +
      `(${pct(bound.inStockA)} / ${pct(bound.inStock)}) with ${bound.daysOfSupply.toFixed(1)} days of supply` +
      (published ? ` (${(bound.daysOfSupply / published.daysOfSupply).toFixed(3)} × published-ewa's; the target is ≤ ${(published.daysOfSupply / 6).toFixed(1)} days, 1/6)` : ""),
  );
}
