// Issue 5, item 9 in headless Chromium: the merchant finds the write-off form from the Accounting page
// and from a SKU's page (it is not in the nav), is told plainly what is wrong with bad input (no reason,
// an unknown PO, more than is on hand) without losing what was typed, writes damaged units off a PO
// line and missing units off plain stock, and sees both shrinkage entries in the journal.
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { expectOnlyRefusals, openTestBrowserForFile, testResultsDir } from "#tests/support/browser.ts";

const baseUrl = inject("e2eBaseUrl");
/** Submissions run a transaction and revalidate; expect.poll's 1 s default is too short on a busy machine. */
const SLOW = { timeout: 15_000 };

const { page, problems } = await openTestBrowserForFile();

const heading = () => page.locator("h1.Polaris-Header-Title");
const field = (label: string) => page.getByLabel(label, { exact: true });
const submit = () => page.getByRole("button", { name: "Write off", exact: true }).click();
const banner = (text: string | RegExp) => page.locator(".Polaris-Banner").getByText(text);

/** What the form holds now, to prove a refusal kept everything the merchant typed. */
async function formValues() {
  return {
    sku: await field("SKU").inputValue(),
    quantity: await field("Quantity").inputValue(),
    reason: await field("Reason").inputValue(),
    po: await field("Purchase order (optional)").inputValue(),
    note: await field("Note").inputValue(),
  };
}

describe("write-offs", () => {
  it("refuses bad input clearly and keeps it, then writes damaged units off a PO line", async () => {
    // The page is reached from Accounting (write-offs are not in the nav).
    await page.goto(`${baseUrl}/app/accounting`, { waitUntil: "networkidle" });
    await expect(heading().textContent()).resolves.toBe("Accounting");
    await page.getByRole("link", { name: "Write off stock" }).click();
    await page.waitForURL(`${baseUrl}/app/write-offs`);
    await expect.poll(async () => heading().textContent(), SLOW).toBe("Write-offs");

    // PO-2026-0007 (received in the e2e seed) has LIN-NAP-06 at 9.75; 10 are on the shop floor.
    await field("SKU").fill("LIN-NAP-06");
    await field("Location").selectOption({ label: "Shop floor" });
    await field("Quantity").fill("2");
    await field("Purchase order (optional)").fill("PO-2026-0999");
    await field("Note").fill("crushed in transit");

    // No reason chosen.
    await submit();
    await expect.poll(async () => banner("Choose a reason").isVisible(), SLOW).toBe(true);
    await expect(formValues()).resolves.toEqual({ sku: "LIN-NAP-06", quantity: "2", reason: "", po: "PO-2026-0999", note: "crushed in transit" });

    // A PO number the shop does not have.
    await field("Reason").selectOption({ label: "Damaged" });
    await submit();
    await expect.poll(async () => banner("No purchase order PO-2026-0999 in this shop").isVisible(), SLOW).toBe(true);
    await expect(formValues()).resolves.toEqual({ sku: "LIN-NAP-06", quantity: "2", reason: "DAMAGED", po: "PO-2026-0999", note: "crushed in transit" });

    // More than is on hand.
    await field("Purchase order (optional)").fill("PO-2026-0007");
    await field("Quantity").fill("50");
    await submit();
    await expect.poll(async () => banner("Only 10 of LIN-NAP-06 on hand at Shop floor: cannot write off 50").isVisible(), SLOW).toBe(true);
    await expect(formValues()).resolves.toEqual({ sku: "LIN-NAP-06", quantity: "50", reason: "DAMAGED", po: "PO-2026-0007", note: "crushed in transit" });
    await page.screenshot({ path: join(testResultsDir, "write-offs-refused.png"), fullPage: true });
    expectOnlyRefusals(problems);

    await field("Quantity").fill("2");
    await submit();
    await expect.poll(async () => banner("2 × LIN-NAP-06 written off ($19.50)").isVisible(), SLOW).toBe(true);
    const row = page.locator(".Polaris-DataTable__Table tbody tr").filter({ hasText: "LIN-NAP-06" });
    await expect.poll(async () => row.count(), SLOW).toBe(1);
    await expect(row.textContent()).resolves.toMatch(/Shop floor.*2.*damaged: crushed in transit.*PO-2026-0007.*\$19\.50/);

    // A second click must not book the same units again: the booked quantity and reason are cleared.
    await expect.poll(async () => field("Quantity").inputValue(), SLOW).toBe("");
    await submit();
    await expect.poll(async () => banner(/At least 1 unit|Enter the number of units/).isVisible(), SLOW).toBe(true);
    await expect(row.count()).resolves.toBe(1);
    expectOnlyRefusals(problems);
  });

  it("writes missing units off plain stock from the SKU's page, and the journal shows both entries", async () => {
    // OAK-SER-BOA-03 holds 21 on the shop floor at a cost of 11.50.
    await page.goto(`${baseUrl}/app/products?q=OAK-SER-BOA-03`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "OAK-SER-BOA-03", exact: true }).click();
    await page.waitForURL(/\/app\/products\/[^/?]+$/);
    const skuPage = page.url();
    await expect.poll(async () => page.getByText("Shop floor: 21 on hand", { exact: false }).isVisible(), SLOW).toBe(true);
    await page.getByRole("link", { name: "Write off units" }).click();
    await page.waitForURL(`${baseUrl}/app/write-offs?sku=OAK-SER-BOA-03`);
    await expect.poll(async () => field("SKU").inputValue(), SLOW).toBe("OAK-SER-BOA-03");

    await field("Quantity").fill("3");
    await field("Reason").selectOption({ label: "Missing" });
    await submit();
    await expect.poll(async () => banner("3 × OAK-SER-BOA-03 written off ($34.50)").isVisible(), SLOW).toBe(true);
    const row = page.locator(".Polaris-DataTable__Table tbody tr").filter({ hasText: "OAK-SER-BOA-03" });
    await expect.poll(async () => row.count(), SLOW).toBe(1);
    await expect(row.textContent()).resolves.toMatch(/missing.*—.*\$34\.50/);
    await page.screenshot({ path: join(testResultsDir, "write-offs.png"), fullPage: true });

    // The stock left through the ledger: the SKU page shows 18 now.
    await page.goto(skuPage, { waitUntil: "networkidle" });
    await expect.poll(async () => page.getByText("Shop floor: 18 on hand", { exact: false }).isVisible(), SLOW).toBe(true);

    // Both write-offs are booked: shrinkage expense against inventory, in this month's journal.
    await page.goto(`${baseUrl}/app/accounting`, { waitUntil: "networkidle" });
    for (const memo of ["Write-off of 2 × LIN-NAP-06 (damaged)", "Write-off of 3 × OAK-SER-BOA-03 (missing)"]) {
      const entry = page.locator(".Polaris-DataTable__Table tbody tr").filter({ hasText: memo });
      await expect.poll(async () => entry.count(), SLOW).toBe(1);
    }
    await expect(page.getByText("Inventory shrinkage expense").first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(testResultsDir, "write-offs-journal.png"), fullPage: true });
    expect(problems).toEqual([]);
  });
});
