// A newcomer's walk through the admin in headless Chromium: every section of the navigation, then the
// detail pages its lists link to (products, suppliers, purchase orders, receiving, reports). Each page
// answers 200 with a heading, raises no console error or failed request, and shows no figure a person
// cannot read: NaN, undefined, [object Object], Invalid Date, or a database row id (cuid) where a
// name belongs.
import { describe, expect, inject, it } from "vitest";
import { ADMIN_NAVIGATION } from "#app/components/admin-navigation.ts";
import { openTestBrowserForFile } from "#tests/support/browser.ts";

const baseUrl = inject("e2eBaseUrl");

const { page, problems } = await openTestBrowserForFile();

const UNREADABLE: [string, RegExp][] = [
  ["NaN", /\bNaN\b/],
  ["undefined", /\bundefined\b/],
  ["[object Object]", /\[object Object\]/],
  ["Invalid Date", /Invalid Date/],
  // Prisma's cuid()/cuid-like ids: 25 lowercase letters and digits starting with "c".
  ["a row id", /\bc[a-z0-9]{24}\b/],
];

/** Visits one page and returns what is wrong with it (empty when a newcomer can read it). */
async function inspect(path: string): Promise<string[]> {
  problems.length = 0;
  const response = await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
  const found: string[] = [];
  if (response?.status() !== 200) found.push(`HTTP ${response?.status()}`);
  const heading = (await page.locator("h1").first().textContent({ timeout: 5_000 }).catch(() => null))?.trim();
  if (!heading) found.push("no heading");
  const text = await page.locator("body").innerText();
  for (const [name, pattern] of UNREADABLE) {
    const match = pattern.exec(text);
    if (match) found.push(`shows ${name}: "${text.slice(Math.max(0, match.index - 40), match.index + match[0].length + 20).replace(/\s+/g, " ")}"`);
  }
  found.push(...problems);
  return found.map((f) => `${path}: ${f}`);
}

async function linksOn(path: string, pattern: RegExp, limit: number): Promise<string[]> {
  await page.goto(`${baseUrl}${path}`, { waitUntil: "networkidle" });
  const hrefs = await page.$$eval("a[href]", (anchors) => anchors.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(hrefs.map((h) => h.split("?")[0]!).filter((h) => pattern.test(h)))].slice(0, limit);
}

describe("a newcomer's walk through the admin", () => {
  it("every section of the navigation is readable", async () => {
    const found: string[] = [];
    for (const item of ADMIN_NAVIGATION) found.push(...(await inspect(item.url)));
    expect(found).toEqual([]);
  });

  it("the detail pages the lists link to are readable", async () => {
    const details = [
      ...(await linksOn("/app/products", /^\/app\/products\/[^/]+$/, 2)),
      ...(await linksOn("/app/suppliers", /^\/app\/suppliers\/(?!new$)[^/]+$/, 2)),
      ...(await linksOn("/app/purchase-orders?status=ALL", /^\/app\/purchase-orders\/[^/]+$/, 10)),
      ...(await linksOn("/app/reports", /^\/app\/reports\/[^/.]+$/, 10)),
    ];
    expect(details.length).toBeGreaterThan(8);
    const found: string[] = [];
    for (const path of details) found.push(...(await inspect(path)));
    expect(found).toEqual([]);
  });
});
