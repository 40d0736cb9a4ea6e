// The PO detail page in headless Chromium (issue 5): open a PO waiting for approval from the list, see
// why it waits and its lines, approve it (the log shows who did it, the actions change), and download
// the PDF, whose barcode scans back to the PO number. No console errors or failed requests.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openTestBrowserForFile, testResultsDir } from "#tests/support/browser.ts";
import { decodeCode128, readPdf } from "#tests/support/pdf.ts";

const baseUrl = inject("e2eBaseUrl");

const { page, problems } = await openTestBrowserForFile();

describe("purchase order detail page", () => {
  it("approves a PO from the review queue and downloads its PDF", async () => {
    // QA looks at 1280 px: the widths below are checked at that size.
    await page.setViewportSize({ width: 1280, height: 900 });
    // PO-2026-0002 is AWAITING_APPROVAL in the e2e seed (Loom & Field, sent by hand).
    await page.goto(`${baseUrl}/app/purchase-orders`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "PO-2026-0002" }).click();
    await page.waitForURL(/\/app\/purchase-orders\/[^/?]+$/);
    await expect.poll(() => page.locator("h1.Polaris-Header-Title").textContent()).toBe("PO-2026-0002");
    await expect(page.getByText("Waiting for your approval").isVisible()).resolves.toBe(true);
    await expect(page.locator(".Polaris-DataTable__Table tbody tr").first().isVisible()).resolves.toBe(true);

    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.getByText("Approved: press Send to supplier when ready").waitFor();
    // The page's data reloads after the action: the review banner and Approve go, Send appears, the log says who.
    await expect.poll(() => page.getByText("Waiting for your approval").count()).toBe(0);
    await expect.poll(() => page.getByRole("button", { name: "Send to supplier" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole("button", { name: "Approve", exact: true }).count()).toBe(0);
    await expect.poll(() => page.getByText("Merchant (Demo merchant)").first().isVisible()).toBe(true);
    await page.screenshot({ path: join(testResultsDir, "purchase-order-detail.png"), fullPage: true });

    // Every Lines column is in view: the table does not scroll "Line total" out of its card.
    const linesTable = page.locator(".Polaris-DataTable").first();
    const tableBox = (await linesTable.boundingBox())!;
    const lineTotal = (await page.locator("th", { hasText: "Line total" }).first().boundingBox())!;
    expect(lineTotal.x + lineTotal.width).toBeLessThanOrEqual(tableBox.x + tableBox.width + 1);
    expect(lineTotal.x + lineTotal.width).toBeLessThanOrEqual(1280);
    expect(await page.locator(".Polaris-DataTable__ScrollContainer").first().evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    // Money has two decimals (an exact sub-cent unit cost is only the small print under it).
    const unitCosts = await page.locator(".Polaris-DataTable tbody tr").evaluateAll((rows) => rows.map((r) => (r.querySelectorAll("td, th")[5] as HTMLElement | undefined)?.innerText.split("\n")[0]?.trim() ?? ""));
    expect(unitCosts.length).toBeGreaterThan(0);
    for (const cost of unitCosts) expect(cost).toMatch(/^[^\d-]*\d[\d,]*\.\d{2}$/);
    // History: each entry is whole (nothing cut off), its time on one line, and the approval reads as a sentence.
    const entries = page.locator("[data-history-entry]");
    expect(await entries.count()).toBeGreaterThan(0);
    for (const entry of await entries.all()) {
      expect(await entry.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
      const when = entry.locator("span[style*='nowrap']").first();
      const lineHeight = await when.evaluate((el) => parseFloat(getComputedStyle(el.parentElement!).lineHeight));
      expect((await when.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
    }
    await expect.poll(() => page.locator("[data-history-entry]").filter({ hasText: "Approved (Demo merchant); status stays awaiting approval" }).count()).toBe(1);
    await page.screenshot({ path: join(testResultsDir, "purchase-order-detail-1280.png"), fullPage: true });

    // After a reload the approval is still there (it was stored, not just shown).
    await page.reload({ waitUntil: "networkidle" });
    await expect(page.getByRole("button", { name: "Send to supplier" }).isVisible()).resolves.toBe(true);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download PDF" }).click()]);
    expect(download.suggestedFilename()).toBe("PO-2026-0002.pdf");
    const pdf = await readPdf(await readFile((await download.path())!));
    expect(pdf.pageCount).toBe(2);
    expect(pdf.pages[0]!.text).toContain("PURCHASE ORDER");
    expect(pdf.pages[0]!.text).toContain("Loom & Field");
    expect(decodeCode128(pdf.pages[0]!.images[0]!)).toBe("PO-2026-0002");
    expect(decodeCode128(pdf.pages[1]!.images[0]!)).toBe("PO-2026-0002");

    // Chromium reports a navigation that turns into a download as an aborted request: that one is expected.
    const isTheDownload = (p: string) => p.startsWith("request failed:") && p.includes("/document?") && p.includes("format=pdf") && p.includes("net::ERR_ABORTED");
    expect(problems.filter((p) => !isTheDownload(p))).toEqual([]);
  });
});
