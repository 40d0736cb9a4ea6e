/**
 * npm run plan -- --sales sales.csv --stock stock.csv --suppliers suppliers.csv --out plan.csv [--as-of YYYY-MM-DD] [--currency USD]
 *
 * Runs the reorder engine on a merchant's own exports, before they install anything (docs/plan-cli.md).
 * Bad rows are printed to stderr as `file:line: message`, skipped and counted in the summary; a missing
 * file or a header without a required column stops the run with exit code 1 (usage errors: 2).
 */
import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { planReplenishment } from "#app/domain/reorder/index.ts";
import { CsvHeaderError, type CsvReadResult } from "#app/lib/csv.ts";
import { buildPlanInput, HISTORY_DAYS, type PlanIssue } from "./plan/build-input.ts";
import { formatPlanCsv, formatPurchaseOrderSummary } from "./plan/format-plan.ts";
import { inputAtOutPath } from "./plan/out-path.ts";
import { parseDay, readSales, readStock, readSuppliers } from "./plan/read-inputs.ts";

const USAGE =
  "usage: npm run plan -- --sales <sales.csv> --stock <stock.csv> --suppliers <suppliers.csv> --out <plan.csv> [--as-of YYYY-MM-DD] [--currency USD]";

function fatal(message: string, code = 1): never {
  process.stderr.write(`plan: ${message}\n`);
  if (code === 2) process.stderr.write(`${USAGE}\n`);
  process.exit(code);
}

const options: Record<string, string> = {};
const FLAGS = new Set(["--sales", "--stock", "--suppliers", "--out", "--as-of", "--currency"]);
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i] ?? "";
  if (arg === "--help" || arg === "-h") {
    process.stdout.write(`${USAGE}\nFile formats: docs/plan-cli.md\n`);
    process.exit(0);
  }
  const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
  if (!FLAGS.has(flag)) fatal(`unknown argument ${arg}`, 2);
  const value = inline ?? argv[++i];
  if (value === undefined || value === "") fatal(`${flag} needs a value`, 2);
  options[flag.slice(2)] = value;
}
for (const flag of ["sales", "stock", "suppliers", "out"]) if (!options[flag]) fatal(`--${flag} is required`, 2);
let asOf: string | undefined;
if (options["as-of"]) {
  const day = parseDay(options["as-of"], "--as-of");
  if (!day.ok) fatal(day.message, 2);
  asOf = day.value;
}
const currency = (options.currency ?? "USD").toUpperCase();
if (!/^[A-Z]{3}$/.test(currency)) fatal(`--currency ${options.currency} is not a three-letter currency code`, 2);
const overwritten = await inputAtOutPath(options.out as string, { sales: options.sales as string, stock: options.stock as string, suppliers: options.suppliers as string });
if (overwritten) fatal(`--out ${options.out} is the ${overwritten} file: the plan would overwrite it, write it somewhere else`, 2);

type FileKey = "sales" | "stock" | "suppliers";

async function readInput<T>(key: FileKey, read: (text: string) => CsvReadResult<T>): Promise<CsvReadResult<T>> {
  const path = options[key] as string;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fatal(code === "ENOENT" ? `${key} file ${path} does not exist` : `cannot read ${key} file ${path}: ${(error as Error).message}`);
  }
  try {
    return read(text);
  } catch (error) {
    if (error instanceof CsvHeaderError) fatal(`${key} file ${path}: ${error.message}`);
    throw error;
  }
}

const sales = await readInput("sales", readSales);
const stock = await readInput("stock", readStock);
const suppliers = await readInput("suppliers", readSuppliers);

const names: Record<FileKey, string> = { sales: basename(options.sales as string), stock: basename(options.stock as string), suppliers: basename(options.suppliers as string) };
const issues: PlanIssue[] = [];
for (const [key, result] of [["sales", sales], ["stock", stock], ["suppliers", suppliers]] as const) {
  for (const e of result.errors) issues.push({ file: key, line: e.line, message: e.message, severity: "error", ...(e.rows ? { rows: e.rows } : {}) });
  if (result.unknownColumns.length > 0) {
    issues.push({ file: key, line: 1, message: `ignored unknown column${result.unknownColumns.length > 1 ? "s" : ""} ${result.unknownColumns.join(", ")}`, severity: "warning" });
  }
}

let built;
try {
  built = buildPlanInput({ sales: sales.rows, stock: stock.rows, suppliers: suppliers.rows }, { ...(asOf ? { asOf } : {}), currency });
} catch (error) {
  fatal((error as Error).message);
}
issues.push(...built.issues);
issues.sort((a, b) => (a.file === b.file ? a.line - b.line : ["sales", "stock", "suppliers"].indexOf(a.file) - ["sales", "stock", "suppliers"].indexOf(b.file)));
for (const issue of issues) {
  process.stderr.write(`${names[issue.file]}:${issue.line}: ${issue.severity === "warning" ? "warning: " : ""}${issue.message}\n`);
}

const plan = planReplenishment(built.input, built.asOf);
await writeFile(options.out as string, formatPlanCsv(plan)).catch((error: Error) => fatal(`cannot write ${options.out}: ${error.message}`));

const skipped = (file: FileKey) => issues.reduce((n, i) => n + (i.file === file && i.severity === "error" ? (i.rows ?? 1) : 0), 0);
const read = (result: CsvReadResult<unknown>) => result.rows.length + result.errors.reduce((n, e) => n + (e.rows ?? 1), 0);
const dataRows = { sales: read(sales), stock: read(stock), suppliers: read(suppliers) };
const warnings = issues.filter((i) => i.severity === "warning").length;
const out: string[] = [];
out.push(`Replenishment plan as of ${built.asOf} (sales history from ${built.startDay}, ${HISTORY_DAYS} days)`);
for (const file of ["sales", "stock", "suppliers"] as const) {
  out.push(`  ${names[file]}: ${dataRows[file]} rows, ${dataRows[file] - skipped(file)} used, ${skipped(file)} skipped`);
}
if (warnings > 0) out.push(`  ${warnings} warning${warnings === 1 ? "" : "s"} (see stderr)`);
if (built.stats.returnLines > 0) out.push(`  ${built.stats.returnLines} sales lines with a negative quantity (returns, cancellations) are not demand`);
if (built.stats.olderLines > 0) out.push(`  ${built.stats.olderLines} sales lines before ${built.startDay} were not used`);
out.push(
  `Planned ${plan.summary.skus} SKUs: ${plan.summary.suggestionsToOrder} to order, ${plan.summary.needsReview} of them flagged for review; wrote ${options.out}`,
);
out.push("");
out.push("Purchase orders (one per supplier):");
process.stdout.write(`${out.join("\n")}\n${formatPurchaseOrderSummary(plan, currency)}`);
