/**
 * A small typed CSV reader (and writer) for merchant files: the plan CLI's exports today, CSV imports in
 * the admin later. Reading never stops at a bad row: each row is checked by the caller's `parseRow`, the
 * ones that fail are returned as `{ line, message }` so they can be shown and counted, never dropped
 * silently. Only an unusable header (a required column missing) refuses the whole file.
 */
import { parse } from "csv-parse/sync";

export interface CsvColumn {
  /** Canonical name, as the caller reads it from the record (snake_case). */
  name: string;
  /** Other header spellings accepted for it ("Order ID", "order-id", "invoice"…), matched after normalising. */
  aliases?: readonly string[];
  required?: boolean;
}

export interface CsvRowError {
  /** 1-based line in the file (the header is line 1) where the row starts. */
  line: number;
  message: string;
  /** Rows this error stands for: the lines an unclosed quote swallowed. Default 1. */
  rows?: number;
}

export type RowResult<T> = { ok: true; value: T } | { ok: false; message: string };

export interface CsvReadResult<T> {
  rows: { line: number; value: T }[];
  errors: CsvRowError[];
  /** Canonical names of the columns the file has (required and optional). */
  columns: string[];
  /** Header cells that matched no known column: reported, because a typo silently ignores a column. */
  unknownColumns: string[];
}

export class CsvHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvHeaderError";
  }
}

/** "Order ID", "order-id", " ORDER_ID " → "order_id". */
export function normaliseHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9%]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * Reads `text` as CSV with a header row. Each data row becomes a record keyed by canonical column name
 * (cells trimmed, missing optional columns absent) and goes through `parseRow`. Rows whose quoting is
 * broken or whose cell count differs from the header are reported as errors and skipped.
 */
export function readCsv<T>(
  text: string,
  columns: readonly CsvColumn[],
  parseRow: (record: Readonly<Record<string, string>>, line: number) => RowResult<T>,
): CsvReadResult<T> {
  const errors: CsvRowError[] = [];
  const unreadable: { code: string; line: number; message: string }[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // The parser counts \r and \n apart inside quoted cells, so a Windows line break in a cell would push every
    // later row's reported line one past where the merchant's editor shows it. One \n per break keeps them equal.
    records = parse(text.replace(/\r\n/g, "\n"), {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // A stray quote inside a cell (`12"x`) stays part of the cell, for the row check to refuse.
      relax_quotes: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        if (err) unreadable.push({ code: err.code, line: Number(err.lines), message: err.message });
        return undefined;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new CsvHeaderError(`not a readable CSV file: ${(error as Error).message}`);
  }
  for (const problem of unreadable) {
    if (problem.code === "CSV_QUOTE_NOT_CLOSED") {
      // The parser only notices at the end of the file: the quote opened after the last record it read.
      const from = records.reduce((last, r) => (r.info.lines < problem.line ? Math.max(last, r.info.lines) : last), 0) + 1;
      // Each of those lines may have been a row: all of them count as skipped, so the summary adds up.
      errors.push({
        line: from,
        message: `a quote opened on this line (or a later one) is never closed: lines ${from}–${problem.line} could not be read`,
        rows: problem.line - from + 1,
      });
    } else errors.push({ line: problem.line, message: `unreadable CSV: ${problem.message}` });
  }
  const [header, ...data] = records;
  if (!header) throw new CsvHeaderError("the file is empty: expected a header row");

  const byAlias = new Map<string, string>();
  for (const column of columns) {
    byAlias.set(normaliseHeader(column.name), column.name);
    for (const alias of column.aliases ?? []) byAlias.set(normaliseHeader(alias), column.name);
  }
  const positions: { index: number; name: string }[] = [];
  const unknownColumns: string[] = [];
  const seen = new Set<string>();
  header.record.forEach((cell, index) => {
    const name = byAlias.get(normaliseHeader(cell));
    if (!name) {
      if (cell.trim() !== "") unknownColumns.push(cell.trim());
      return;
    }
    if (seen.has(name)) throw new CsvHeaderError(`column "${name}" appears twice in the header`);
    seen.add(name);
    positions.push({ index, name });
  });
  const missing = columns.filter((c) => c.required && !seen.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new CsvHeaderError(
      `missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (header has: ${header.record.map((c) => c.trim()).join(", ")})`,
    );
  }

  const rows: { line: number; value: T }[] = [];
  for (const { record, info } of data) {
    // The parser gives the line a record ends on; a quoted cell with line breaks starts it that many lines
    // earlier, and the merchant looks for the row where it starts. (After the \r\n rewrite above, the parser
    // counts each remaining \r or \n inside quotes as a line, so they are counted the same way here.)
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/[\r\n]/g)?.length ?? 0), 0);
    if (record.length !== header.record.length) {
      errors.push({ line, message: `has ${record.length} cells, the header has ${header.record.length}` });
      continue;
    }
    const values: Record<string, string> = {};
    for (const { index, name } of positions) values[name] = (record[index] ?? "").trim();
    const result = parseRow(values, line);
    if (result.ok) rows.push({ line, value: result.value });
    else errors.push({ line, message: result.message });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors, columns: [...seen], unknownColumns };
}

/** One CSV cell: quoted when it holds a comma, quote, or line break (RFC 4180). */
export function formatCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document with a header row and `\n` line ends. */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(formatCsvCell).join(",")).join("\n") + "\n";
}
