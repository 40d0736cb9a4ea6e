import { link, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inputAtOutPath } from "./out-path.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "replenish-out-path-"));
  await writeFile(join(dir, "sales.csv"), "date,order_id,sku,quantity\n");
  await writeFile(join(dir, "stock.csv"), "sku,on_hand,cost,price\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("inputAtOutPath", () => {
  it("names the input --out would overwrite, however the path is spelled", async () => {
    const inputs = { sales: join(dir, "sales.csv"), stock: join(dir, "stock.csv") };
    expect(await inputAtOutPath(`${dir}/./stock.csv`, inputs)).toBe("stock");
    expect(await inputAtOutPath(relative(process.cwd(), join(dir, "sales.csv")), inputs)).toBe("sales");
    await symlink(join(dir, "sales.csv"), join(dir, "sales-link.csv"));
    expect(await inputAtOutPath(join(dir, "sales-link.csv"), inputs)).toBe("sales");
    await link(join(dir, "stock.csv"), join(dir, "stock-hard.csv"));
    expect(await inputAtOutPath(join(dir, "stock-hard.csv"), inputs)).toBe("stock");
  });

  it("lets a new file or another existing file through", async () => {
    const inputs = { sales: join(dir, "sales.csv") };
    expect(await inputAtOutPath(join(dir, "plan.csv"), inputs)).toBeNull();
    expect(await inputAtOutPath(join(dir, "stock.csv"), inputs)).toBeNull();
  });
});
