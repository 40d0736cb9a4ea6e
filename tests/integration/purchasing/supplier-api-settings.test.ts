// The API-delivery settings page (/app/suppliers/$id/api): endpoint and write-only signing secret,
// stored encrypted for this shop and supplier only, and used by the dispatch job.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { decryptCredentials } from "#app/channels/credentials.server.ts";
import { action, loader } from "#app/routes/app.suppliers.$supplierId_.api.tsx";
import { supplierApiSecretContext } from "#app/services/po-dispatch.server.ts";
import { createShop, createSupplier } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createDemoShop, unwrap, useDemoMode } from "../routes/helpers.ts";

const ORIGIN = "http://127.0.0.1:3000";
beforeAll(useDemoMode);
beforeEach(resetDatabase);

const load = (id: string) => loader({ request: new Request(`${ORIGIN}/app/suppliers/${id}/api`), params: { supplierId: id }, context: {} });
const post = async (id: string, form: Record<string, string>) =>
  unwrap(await action({ request: new Request(`${ORIGIN}/app/suppliers/${id}/api`, { method: "POST", body: new URLSearchParams(form) }), params: { supplierId: id }, context: {} }));

describe("supplier API settings page", () => {
  it("saves the endpoint and an encrypted secret that is never shown again; bad input is refused", async () => {
    const shop = await createDemoShop();
    const supplier = await createSupplier({ shopId: shop.id, poDelivery: "API" });
    expect((await load(supplier.id)).supplier).toMatchObject({ apiEndpoint: "", hasSecret: false, poDelivery: "API" });

    expect(await post(supplier.id, { endpoint: "ftp://x", secret: "0123456789abcdef" })).toMatchObject({ status: 422, body: { message: "The supplier's endpoint must be an http(s) URL" } });
    expect(await post(supplier.id, { endpoint: "https://orders.acme.test/po", secret: "short" })).toMatchObject({ status: 422, body: { message: "The signing secret must be at least 16 characters" } });
    expect(await post(supplier.id, { endpoint: "https://orders.acme.test/po", secret: "0123456789abcdef-secret" })).toMatchObject({ status: 200, body: { ok: true } });

    const row = await prisma.supplier.findUniqueOrThrow({ where: { id: supplier.id } });
    expect(row.apiEndpoint).toBe("https://orders.acme.test/po");
    expect(row.encryptedApiSecret).not.toContain("0123456789abcdef");
    expect(decryptCredentials(row.encryptedApiSecret!, supplierApiSecretContext(shop.id, supplier.id))).toEqual({ secret: "0123456789abcdef-secret" });
    // Bound to this supplier: the same ciphertext does not open for another one.
    expect(() => decryptCredentials(row.encryptedApiSecret!, supplierApiSecretContext(shop.id, "another"))).toThrow();
    const view = (await load(supplier.id)).supplier;
    expect(view).toMatchObject({ apiEndpoint: "https://orders.acme.test/po", hasSecret: true });
    expect(JSON.stringify(view)).not.toContain("secret\":\"0123");
  });

  it("answers 404 for another shop's supplier and changes nothing", async () => {
    await createDemoShop();
    const foreign = await createSupplier({ shopId: (await createShop()).id });
    await expect(load(foreign.id)).rejects.toMatchObject({ status: 404 });
    await expect(post(foreign.id, { endpoint: "https://evil.test/po", secret: "0123456789abcdef-secret" })).rejects.toMatchObject({ status: 404 });
    expect((await prisma.supplier.findUniqueOrThrow({ where: { id: foreign.id } })).apiEndpoint).toBeNull();
  });
});
