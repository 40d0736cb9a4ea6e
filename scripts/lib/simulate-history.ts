/**
 * `npm run simulate -- --history <file.json>`: the simulator on a shop's own exported history (the trust
 * report's input, see docs/simulator.md "A shop's own history"). The trust-report job runs exactly this.
 */
import { readFile } from "node:fs/promises";
import { actualOutcome, buildShopHistorySimulation, validateShopHistory, withProgress, type ActualOutcome } from "#app/domain/reports/shop-history.ts";
import { createPolicy, POLICY_NAMES, type PolicyName } from "#app/domain/simulation/policies.ts";
import { simulateReplenishment, type SimulationMetrics } from "#app/domain/simulation/simulate.ts";

export interface HistoryRun {
  results: SimulationMetrics[];
  actual: ActualOutcome;
  summary: string;
}

export async function runHistoryFile(path: string, onProgress?: (fraction: number) => void): Promise<HistoryRun> {
  const parsed = validateShopHistory(JSON.parse(await readFile(path, "utf8")));
  if (!parsed.ok) throw new Error(`invalid history ${path}:\n  ${parsed.errors.join("\n  ")}`);
  const history = parsed.value;
  const sim = buildShopHistorySimulation(history);
  const names = (sim.scenario.policies ?? [...POLICY_NAMES]) as PolicyName[];
  const results = names.map((name) => {
    const policy = createPolicy(name, { firstDay: history.firstDay, leadTimeHistory: 60 });
    return simulateReplenishment(sim.skus, sim.suppliers, sim.scenario, onProgress ? withProgress(policy, sim.scenario.warmupDays, history.days, onProgress) : policy);
  });
  const summary =
    `history: ${history.shopDomain}, ${history.firstDay} + ${history.days} days (warm-up ${history.scenario.warmupDays}), ${sim.skus.length} SKUs (${sim.excluded} without a sale in the warm-up left out), ` +
    `${sim.suppliers.length} suppliers: ${sim.suppliers.map((s) => `${s.lowDays}-${s.highDays}${s.lateProbability > 0 ? `*${(s.lateProbability * 100).toFixed(0)}%` : ""}`).join(" ")}`;
  return { results, actual: actualOutcome(history, sim), summary };
}
