import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readGzipCsv } from "./gzip-csv.server.ts";
import { loadRetailDataset } from "./retail-dataset.server.ts";

const dir = mkdtempSync(join(tmpdir(), "gzip-csv-"));
const file = (name: string, content: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function all<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of records) out.push(r);
  return out;
}

describe("readGzipCsv", () => {
  it("streams the records of a gzip CSV", async () => {
    const path = file("ok.csv.gz", gzipSync("a,b\n1,2\n3,4\n"));
    expect(await all(await readGzipCsv<Record<string, string>>(path, { columns: true }))).toEqual([{ a: "1", b: "2" }, { a: "3", b: "4" }]);
  });

  it("refuses a missing file with its path", async () => {
    await expect(readGzipCsv(join(dir, "missing.csv.gz"), {})).rejects.toThrow(/missing\.csv\.gz: no such file/);
    // The simulator's and the seed's reader say the same instead of waiting forever.
    await expect(loadRetailDataset(join(dir, "missing.csv.gz"))).rejects.toThrow(/no such file/);
  });

  it("rejects, rather than hangs, on a file that is not gzip or is cut short", async () => {
    const plain = file("plain.csv.gz", "a,b\n1,2\n");
    await expect(all(await readGzipCsv(plain, {}))).rejects.toThrow(/incorrect header check/);
    const whole = gzipSync(Buffer.from("a,b\n" + "1,2\n".repeat(10_000)));
    const cut = file("cut.csv.gz", whole.subarray(0, whole.length - 100));
    await expect(all(await readGzipCsv(cut, {}))).rejects.toThrow(/unexpected end of file/);
  });

  it("rejects on a malformed CSV row", async () => {
    const path = file("bad.csv.gz", gzipSync('a,b\n1,"2\n'));
    await expect(all(await readGzipCsv(path, { columns: true }))).rejects.toThrow(/Quote Not Closed/i);
  });
});
