// The supplier page in headless Chromium: open a supplier from the index, Save stays disabled until
// something changes, a bad engine parameter comes back as a field error, a good one is saved and still
// there after a reload, and "Reset to default" removes the override again. No console errors.
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openTestBrowserForFile, testResultsDir } from "#tests/support/browser.ts";

const baseUrl = inject("e2eBaseUrl");

const { page, problems } = await openTestBrowserForFile();

const minDays = () => page.locator("#parameter-minDays");
const saveButton = () => page.getByRole("button", { name: "Save", exact: true });

/** The 422 of a rejected save is the expected answer, not a problem; anything else is. */
function unexpectedProblems(): string[] {
  return problems.filter((p) => !/\b422\b/.test(p));
}

/** The seeded supplier every test edits (and puts back), reached the way a merchant does: from the index. */
async function openNorthwindFromIndex(): Promise<void> {
  await page.goto(`${baseUrl}/app/suppliers`, { waitUntil: "networkidle" });
  await page.getByRole("link", { name: "Northwind Ceramics" }).click();
  await page.waitForURL(/\/app\/suppliers\/(?!new)[^/]+$/);
}

describe("supplier page", () => {
  it("edits an engine parameter with validation, and keeps it after a reload", async () => {
    await openNorthwindFromIndex();
    const supplierUrl = page.url();
    await expect.poll(() => page.locator("h1.Polaris-Header-Title").textContent()).toBe("Northwind Ceramics");

    // Nothing changed yet: Save is disabled, and min_days shows its default.
    await expect(saveButton().isDisabled()).resolves.toBe(true);
    await expect(minDays().inputValue()).resolves.toBe("");
    await expect(minDays().getAttribute("placeholder")).resolves.toBe("Default: 7");

    // A value the engine refuses comes back as that field's error, and nothing is saved.
    await minDays().fill("800");
    await expect(saveButton().isEnabled()).resolves.toBe(true);
    await saveButton().click();
    await expect.poll(() => page.locator("#parameter-minDaysError").textContent()).toContain("Must be at most 730");
    await expect(page.getByText("Some fields need a fix").isVisible()).resolves.toBe(true);

    // A good value is saved, shown as an override, and still there after a reload.
    await minDays().fill("21");
    await saveButton().click();
    await page.getByText("Supplier saved").waitFor();
    await expect(saveButton().isDisabled()).resolves.toBe(true);
    await page.reload({ waitUntil: "networkidle" });
    await expect(minDays().inputValue()).resolves.toBe("21");
    await expect(page.locator("#parameter-minDaysError").count()).resolves.toBe(0);
    await expect(page.getByText("Overridden").first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(testResultsDir, "supplier-details.png"), fullPage: true });

    // Reset to default removes the override again (and leaves the shared e2e shop as it was seeded).
    await page.getByRole("button", { name: "Reset to default" }).first().click();
    await expect(minDays().inputValue()).resolves.toBe("");
    await saveButton().click();
    await page.getByText("Supplier saved").waitFor();
    await page.goto(supplierUrl, { waitUntil: "networkidle" });
    await expect(minDays().inputValue()).resolves.toBe("");

    expect(unexpectedProblems()).toEqual([]);
  });

  it("records a lead time quoted to the ship date: it needs a ship method, and the choice persists", async () => {
    await openNorthwindFromIndex();
    const quotes = page.getByLabel("Lead time is quoted to the ship date");
    const shipMethod = page.getByLabel("Ship method");
    await expect(quotes.isChecked()).resolves.toBe(false);
    await expect(shipMethod.inputValue()).resolves.toBe("");

    // Ticked without a ship method: there are no transit days to add, so the form asks for one and saves nothing.
    await quotes.check();
    await expect(page.getByText("Quoted days from order to shipping; the ship method's transit days are added.", { exact: false }).isVisible()).resolves.toBe(true);
    await saveButton().click();
    await expect.poll(() => page.getByText("Choose the ship method whose transit days are added to the quoted lead time").isVisible()).toBe(true);
    await expect(quotes.isChecked()).resolves.toBe(true);

    await shipMethod.selectOption("ocean");
    await saveButton().click();
    await page.getByText("Supplier saved").waitFor();
    await page.reload({ waitUntil: "networkidle" });
    await expect(page.getByLabel("Lead time is quoted to the ship date").isChecked()).resolves.toBe(true);
    await expect(page.getByLabel("Ship method").inputValue()).resolves.toBe("ocean");

    // Back as seeded, for the other tests on the shared e2e shop.
    await page.getByLabel("Lead time is quoted to the ship date").uncheck();
    await page.getByLabel("Ship method").selectOption("");
    await saveButton().click();
    await page.getByText("Supplier saved").waitFor();
    expect(unexpectedProblems()).toEqual([]);
  });

  it("sets the supplier's forecast method, shown as an override, and resets it to the shop's", async () => {
    await openNorthwindFromIndex();
    const method = page.locator("#parameter-forecastMethod");
    await expect(method.inputValue()).resolves.toBe("");
    await method.selectOption("ewa");
    await saveButton().click();
    await page.getByText("Supplier saved").waitFor();
    await page.reload({ waitUntil: "networkidle" });
    await expect(page.locator("#parameter-forecastMethod").inputValue()).resolves.toBe("ewa");
    await expect(page.getByText("Overridden").first().isVisible()).resolves.toBe(true);

    await page.getByRole("button", { name: "Reset to default" }).first().click();
    await expect(page.locator("#parameter-forecastMethod").inputValue()).resolves.toBe("");
    await saveButton().click();
    await page.getByText("Supplier saved").waitFor();
    await page.reload({ waitUntil: "networkidle" });
    await expect(page.locator("#parameter-forecastMethod").inputValue()).resolves.toBe("");
    expect(unexpectedProblems()).toEqual([]);
  });

  it("links to the supplier's API delivery settings and back", async () => {
    await openNorthwindFromIndex();
    const supplierUrl = page.url();
    await page.getByRole("link", { name: "API delivery settings" }).click();
    await page.waitForURL(/\/app\/suppliers\/[^/]+\/api$/);
    await expect.poll(() => page.locator("h1.Polaris-Header-Title").textContent()).toBe("Northwind Ceramics: PO delivery by API");
    await expect(page.getByLabel("Endpoint").isVisible()).resolves.toBe(true);
    await page.getByRole("link", { name: "← Northwind Ceramics" }).click();
    await page.waitForURL(supplierUrl);
    expect(unexpectedProblems()).toEqual([]);
  });
});
