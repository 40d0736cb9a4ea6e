// The supplier details route: loads this shop's supplier with its products, validates contact fields and
// every engine parameter (the engine's own validator) with 422 field errors, stores only overrides, and
// answers 404 for another shop's supplier id.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { DEFAULT_SUPPLIER_PARAMETERS, planReplenishment } from "#app/domain/reorder/index.ts";
import { loadReorderSnapshot, supplierParametersOf } from "#app/models/reorder-snapshot.server.ts";
import { action, loader } from "#app/routes/app.suppliers.$supplierId/route.tsx";
import { PARAMETER_FIELDS, toFormValues } from "#app/routes/app.suppliers.$supplierId/supplier-form.ts";
import { createLocation, createShop, createSku, createSupplier, createSupplierProduct, recordMovement } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createDemoShop, unwrap, useDemoMode } from "#tests/integration/routes/helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

const ORIGIN = "http://127.0.0.1:3000";

function load(supplierId: string) {
  return loader({ request: new Request(`${ORIGIN}/app/suppliers/${supplierId}`), params: { supplierId }, context: {} });
}

function post(supplierId: string, form: Record<string, string>) {
  const request = new Request(`${ORIGIN}/app/suppliers/${supplierId}`, { method: "POST", body: new URLSearchParams(form) });
  return action({ request, params: { supplierId }, context: {} });
}

async function status(work: Promise<unknown>): Promise<number> {
  try {
    const result = await work;
    return result instanceof Response ? result.status : unwrap(result).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

/** The form as the page would post it for a stored supplier, with some fields changed. */
async function formFor(supplierId: string, changes: Record<string, string> = {}): Promise<Record<string, string>> {
  const { supplier, shopCurrency } = await load(supplierId);
  return { ...toFormValues(supplier, shopCurrency), ...changes };
}

describe("supplier details route", () => {
  it("loads the supplier with its products, and empty parameter fields for the defaults", async () => {
    const shop = await createDemoShop();
    const supplier = await createSupplier({ shopId: shop.id, name: "Northwind", leadTimeDays: 21, reorderParameters: { minDays: 10, order_min: 25_000 } });
    const sku = await createSku({ shopId: shop.id, code: "MUG-01" });
    await createSupplierProduct({ shopId: shop.id, supplierId: supplier.id, skuId: sku.id, unitCost: "3.4200", moq: 24, casePack: 6, supplierPartNumber: "NW-77" });

    const { supplier: loaded } = await load(supplier.id);
    expect(loaded).toMatchObject({ name: "Northwind", leadTimeDays: 21, productCount: 1 });
    expect(loaded?.products).toEqual([
      expect.objectContaining({ skuCode: "MUG-01", supplierPartNumber: "NW-77", unitCost: "3.42", moq: 24, casePack: 6 }),
    ]);
    const form = toFormValues(loaded, "USD");
    // Stored overrides are shown (money in currency units, snake_case keys understood); the rest are empty.
    expect(form).toMatchObject({ minDays: "10", orderMin: "250.00", maxDays: "", periodString: "", leadTimeDays: "21" });
    expect(PARAMETER_FIELDS.map((f) => f.code)).toEqual(
      expect.arrayContaining([
        "min_days", "max_days", "margin_threshold", "order_min", "order_max", "order_alert", "pct_limit", "sum_limit", "count_limit", "qty_limit",
        "avg_ratio_limit", "dom_factor", "rounding_one", "rounding_two", "min_instock_pct", "period string", "repo_additional_days", "low_order_count",
        "outage_loss_factor", "forecast method",
      ]),
    );
    expect(PARAMETER_FIELDS).toHaveLength(20);
  });

  it("stores only the parameters that differ from the engine defaults, and contact fields in their columns", async () => {
    const shop = await createDemoShop();
    const supplier = await createSupplier({ shopId: shop.id, name: "Loom & Field" });
    const form = await formFor(supplier.id, {
      orderEmail: "po@loom.test",
      ccEmails: "a@loom.test, b@loom.test",
      poDelivery: "PORTAL",
      documentFormat: "CSV",
      currency: "eur",
      paymentTermsDays: "60",
      depositPct: "30",
      leadTimeDays: "35",
      defaultShipMethod: "ocean",
      autoSend: "true",
      minDays: "14",
      maxDays: "120", // the default: not stored
      orderMin: "1,500.50",
      orderMax: "",
      periodString: "8, 4, 52",
      outageLossFactor: "0.5",
    });
    const result = unwrap(await post(supplier.id, form));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true });

    const row = await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } });
    expect(row.reorderParameters).toEqual({ minDays: 14, orderMin: 150_050, periodString: "4,8,52", outageLossFactor: 0.5 });
    expect(row).toMatchObject({
      orderEmail: "po@loom.test",
      ccEmails: ["a@loom.test", "b@loom.test"],
      poDelivery: "PORTAL",
      documentFormat: "CSV",
      currency: "EUR",
      paymentTermsDays: 60,
      leadTimeDays: 35,
      defaultShipMethod: "ocean",
      autoSend: true,
    });
    expect(row.depositPct.toFixed(4)).toBe("0.3000");

    // The reorder run reads exactly what the page stored.
    const parameters = supplierParametersOf(row, []);
    expect(parameters).toEqual({ ...DEFAULT_SUPPLIER_PARAMETERS, minDays: 14, orderMin: 150_050, periodString: "4,8,52", outageLossFactor: 0.5, leadTimeDays: 35, autoSend: true });

    // Resetting a field to its default (empty) removes the override.
    const again = await formFor(supplier.id, { minDays: "", orderMin: "" });
    expect(unwrap(await post(supplier.id, again)).status).toBe(200);
    const after = await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } });
    expect(after.reorderParameters).toEqual({ periodString: "4,8,52", outageLossFactor: 0.5 });
  });

  it("rejects invalid values with a 422 and one error per field, saving nothing", async () => {
    const shop = await createDemoShop();
    const supplier = await createSupplier({ shopId: shop.id, name: "Cedar", reorderParameters: { minDays: 10 } });
    const before = await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } });
    const form = await formFor(supplier.id, {
      name: " ",
      orderEmail: "not-an-email",
      ccEmails: "ok@cedar.test, nope",
      currency: "dollars",
      leadTimeDays: "",
      minDays: "200",
      maxDays: "100", // below min_days
      pctLimit: "120",
      countLimit: "2.5",
      orderMin: "abc",
      periodString: "4,0",
      outageLossFactor: "1.5",
      depositPct: "101",
    });
    const { status: code, body } = unwrap(await post(supplier.id, form));
    expect(code).toBe(422);
    expect(body).toMatchObject({ ok: false });
    const errors = (body as { fieldErrors: Record<string, string> }).fieldErrors;
    expect(errors).toMatchObject({
      name: "Enter a name",
      orderEmail: "Enter a valid email address",
      ccEmails: "Not an email address: nope",
      currency: "Enter a three-letter currency code such as USD",
      leadTimeDays: "Is required",
      maxDays: "Must be at least min_days",
      pctLimit: "Must be at most 100",
      countLimit: "Must be a whole number",
      orderMin: "Enter an amount such as 250.00",
      outageLossFactor: "Must be at most 1",
      depositPct: "Must be at most 100",
    });
    expect(errors.periodString).toMatch(/"0" is not a whole number of weeks/);
    expect(errors.minDays).toBeUndefined();
    expect(await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } })).toEqual(before);
  });

  it("says what is wrong with a negative or zero number, and needs a lead time of at least a day", async () => {
    const shop = await createDemoShop();
    const supplier = await createSupplier({ shopId: shop.id, name: "Fenwick", leadTimeDays: 10 });
    const before = await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } });
    const form = await formFor(supplier.id, {
      leadTimeDays: "0",
      paymentTermsDays: "-10",
      depositPct: "-1",
      defectRate: "12.345",
      moqFlexibility: "-20",
      orderMin: "-5",
      orderMax: "0",
      orderAlert: "-0.5",
      minDays: "-3",
    });
    const { status: code, body } = unwrap(await post(supplier.id, form));
    expect(code).toBe(422);
    expect((body as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
      leadTimeDays: "Must be at least 1",
      paymentTermsDays: "Enter 0 or more days",
      depositPct: "Enter a percentage of 0 or more",
      defectRate: "Enter a percentage with at most 2 decimals",
      moqFlexibility: "Enter a percentage of 0 or more",
      orderMin: "Enter an amount of 0 or more",
      orderMax: "Enter an amount above 0, or leave it empty for no limit",
      orderAlert: "Enter an amount of 0 or more",
      minDays: "Must be at least 0",
    });
    expect(await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } })).toEqual(before);

    // A slip of extra zeros is refused with the limit, in the form's own terms (money in currency units), not stored.
    const huge = await formFor(supplier.id, { orderMin: "2,000,000,000", orderAlert: "1000000000.01", qtyLimit: "99999999999", countLimit: "5000000" });
    const tooBig = unwrap(await post(supplier.id, huge));
    expect(tooBig.status).toBe(422);
    expect((tooBig.body as { fieldErrors: Record<string, string> }).fieldErrors).toEqual({
      orderMin: "Enter an amount up to 1,000,000,000.00",
      orderAlert: "Enter an amount up to 1,000,000,000.00, or leave it empty for no limit",
      qtyLimit: "Must be at most 2,147,483,647",
      countLimit: "Must be at most 1,000,000",
    });
    expect(await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } })).toEqual(before);

    // Zero is fine where zero means something: no payment terms, no deposit, no minimum order.
    const zeros = await formFor(supplier.id, { paymentTermsDays: "0", depositPct: "0", moqFlexibility: "0", orderMin: "0", leadTimeDays: "1", defectRate: "12.34" });
    expect(unwrap(await post(supplier.id, zeros)).status).toBe(200);
    expect(await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } })).toMatchObject({ paymentTermsDays: 0, leadTimeDays: 1 });
  });

  it("creates a supplier from the new-supplier form, in the shop's currency, and redirects to its page", async () => {
    const shop = await createDemoShop({ currency: "GBP" });
    const { supplier, shopCurrency } = await load("new");
    expect(supplier).toBeNull();
    const blank = toFormValues(null, shopCurrency);
    expect(blank.currency).toBe("GBP");
    const form = { ...blank, name: "Harbor Glass", orderEmail: "orders@harbor.test", leadTimeDays: "9", qtyLimit: "40" };
    const response = await post("new", form);
    expect(response).toBeInstanceOf(Response);
    const created = await prisma.supplier.findFirstOrThrow({ where: { shopId: shop.id, name: "Harbor Glass" } });
    expect((response as Response).headers.get("Location")).toBe(`/app/suppliers/${created.id}`);
    expect(created).toMatchObject({ leadTimeDays: 9, currency: "GBP", orderEmail: "orders@harbor.test", reorderParameters: { qtyLimit: 40 } });

    // A second supplier with the same name is a field error, not a crash.
    const duplicate = unwrap(await post("new", form));
    expect(duplicate.status).toBe(422);
    expect(duplicate.body).toMatchObject({ ok: false, fieldErrors: { name: "Another supplier already has this name" } });
  });

  it("stores a lead time quoted to the ship date, and the next plan adds that ship method's transit days from Settings", async () => {
    const shop = await createDemoShop();
    await prisma.shopSettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, shipMethodTransitDays: { ocean: 30 } }, update: { shipMethodTransitDays: { ocean: 30 } } });
    const supplier = await createSupplier({ shopId: shop.id, name: "Harbour Ceramics", leadTimeDays: 12 });
    const sku = await createSku({ shopId: shop.id, code: "BOWL-01" });
    await createSupplierProduct({ shopId: shop.id, supplierId: supplier.id, skuId: sku.id });
    const location = await createLocation({ shopId: shop.id, isDefault: true });
    await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: location.id, quantity: 40, kind: "INITIAL" });

    // Quoting ship dates needs a ship method: the form says so on that field and saves nothing.
    const missing = unwrap(await post(supplier.id, await formFor(supplier.id, { quotesShipDate: "true", defaultShipMethod: "" })));
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ fieldErrors: { defaultShipMethod: "Choose the ship method whose transit days are added to the quoted lead time" } });
    expect((await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } })).quotesShipDate).toBe(false);

    expect(unwrap(await post(supplier.id, await formFor(supplier.id, { quotesShipDate: "true", defaultShipMethod: "ocean" }))).status).toBe(200);
    const { supplier: loaded, shopCurrency } = await load(supplier.id);
    expect(toFormValues(loaded, shopCurrency)).toMatchObject({ quotesShipDate: "true", defaultShipMethod: "ocean", leadTimeDays: "12" });

    const snapshot = await loadReorderSnapshot(shop.id, "2026-11-24");
    expect(snapshot.input.suppliers.find((s) => s.supplierId === supplier.id)).toMatchObject({ quotesShipDate: true, shipMethod: "ocean" });
    const suggestion = planReplenishment(snapshot.input, "2026-11-24").suggestions.find((s) => s.skuId === sku.id);
    expect(suggestion?.leadTime).toMatchObject({ source: "configured", percentileDays: 42, transitDays: 30, shipMethod: "ocean" });
    expect(suggestion?.explanation).toContain("Lead time 42 days = the configured 12 days to the ship date + 30 transit days (ocean)");

    // Unticked, the quoted lead time is door to door again.
    expect(unwrap(await post(supplier.id, await formFor(supplier.id, { quotesShipDate: "false" }))).status).toBe(200);
    const door = planReplenishment((await loadReorderSnapshot(shop.id, "2026-11-24")).input, "2026-11-24").suggestions.find((s) => s.skuId === sku.id);
    expect(door?.leadTime).toMatchObject({ percentileDays: 12, transitDays: 0 });
  });

  it("sets a forecast method for the supplier's SKUs: stored as an override, read by the plan; an unknown one is refused", async () => {
    const shop = await createDemoShop();
    const supplier = await createSupplier({ shopId: shop.id, name: "Steady Goods" });
    expect(toFormValues((await load(supplier.id)).supplier, "USD").forecastMethod).toBe("");

    const bad = unwrap(await post(supplier.id, await formFor(supplier.id, { forecastMethod: "crystal-ball" })));
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ fieldErrors: { forecastMethod: "Must be one of shop, auto, ewa, period-string, model" } });

    expect(unwrap(await post(supplier.id, await formFor(supplier.id, { forecastMethod: "period-string" }))).status).toBe(200);
    const row = await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } });
    expect(row.reorderParameters).toEqual({ forecastMethod: "period-string" });
    expect(supplierParametersOf(row, []).forecastMethod).toBe("period-string");
    expect(toFormValues((await load(supplier.id)).supplier, "USD").forecastMethod).toBe("period-string");

    // Back to the shop's method: the override is removed, not stored as "shop".
    expect(unwrap(await post(supplier.id, await formFor(supplier.id, { forecastMethod: "" }))).status).toBe(200);
    expect((await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } })).reorderParameters).toEqual({});
  });

  it("answers 404 for another shop's supplier, and never changes it", async () => {
    await createDemoShop();
    const other = await createShop();
    const foreign = await createSupplier({ shopId: other.id, name: "Not yours" });
    const before = await prisma.supplier.findUniqueOrThrow({ where: { id: foreign.id } });

    expect(await status(load(foreign.id))).toBe(404);
    expect(await status(load("does-not-exist"))).toBe(404);
    const form = { ...toFormValues(null, "USD"), name: "Taken over", leadTimeDays: "3" };
    expect(await status(post(foreign.id, form))).toBe(404);
    expect(await prisma.supplier.findUniqueOrThrow({ where: { id: foreign.id } })).toEqual(before);
  });
});
