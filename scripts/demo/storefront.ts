import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { escapeHtml, formatPrice } from "../../app/domain/back-in-stock/messages.ts";
import { OPEN_PO_STATUSES } from "../../app/domain/back-in-stock/expected-ship-date.ts";
import { listen, readBody, sendText, type RunningServer } from "../../sandbox/shared/http-server.ts";
import { signAppProxy } from "../../sandbox/shopify/webhooks.ts";

// Issue 6 item 8: a storefront-like product page with the back-in-stock theme block, served by the demo.
// The block markup is what extensions/back-in-stock/blocks/back-in-stock.liquid renders (the same
// output as tests/fixtures/storefront/product.html) and its real JS/CSS are served as is. Like Shopify,
// this server forwards /apps/back-in-stock/* to the app's proxy routes with an app-proxy signature.
// The product is a demo SKU with an open purchase order: sold out, so the block shows its ETA. A
// "Receive the PO" button books the rest of that PO line through the real receiving service, which
// sets off the restock alerts the mailbox page then shows.

const root = path.resolve(import.meta.dirname, "../..");
const assets = path.join(root, "extensions/back-in-stock/assets");

export type DemoStorefront = { url: string; productUrl: string; close(): Promise<void> };

type Variant = { id: string; skuId: string; label: string; available: boolean };

const numericId = (gid: string | null) => gid?.replace(/^gid:\/\/shopify\/ProductVariant\//, "") ?? "";

/** A sold-out SKU with units on an open PO (the ETA); one is written down to zero if none is sold out. */
async function pickProduct(prisma: PrismaClient, shopId: string) {
  const { storefrontAvailable } = await import("../../app/models/back-in-stock.server.ts");
  const today = new Date(new Date().toISOString().slice(0, 10));
  const lines = await prisma.purchaseOrderLine.findMany({
    where: { shopId, purchaseOrder: { status: { in: [...OPEN_PO_STATUSES] }, expectedArrivalDate: { gte: today } }, sku: { shopifyVariantId: { not: null } } },
    select: { id: true, skuId: true, quantityOrdered: true, quantityReceived: true, purchaseOrderId: true, purchaseOrder: { select: { locationId: true } } },
    orderBy: { purchaseOrder: { expectedArrivalDate: "asc" } },
    take: 200,
  });
  const open = lines.filter((l) => l.quantityOrdered > l.quantityReceived);
  if (open.length === 0) return null;
  const available = await storefrontAvailable(shopId, open.map((l) => l.skuId));
  const line = open.find((l) => (available.get(l.skuId) ?? 0) <= 0) ?? open[0]!;
  const units = available.get(line.skuId) ?? 0;
  if (units > 0) {
    // An explicit, idempotent ledger movement (the only way stock changes): the page needs a sold-out variant.
    const { appendMovements } = await import("../../app/models/ledger.server.ts");
    await appendMovements(shopId, [
      { kind: "ADJUSTMENT", skuId: line.skuId, locationId: line.purchaseOrder.locationId, quantity: -units, occurredAt: new Date(), sourceType: "MANUAL", idempotencyKey: `demo-storefront-sold-out-${line.skuId}`, note: "demo: sold out for the storefront page" },
    ]);
  }
  return line;
}

export async function startDemoStorefront(options: { prisma: PrismaClient; shopId: string; shopDomain: string; apiSecret: string; appUrl: string }): Promise<DemoStorefront | null> {
  const { prisma, shopId } = options;
  const line = await pickProduct(prisma, shopId);
  if (!line) return null;
  const soldOut = await prisma.sku.findUniqueOrThrow({ where: { id: line.skuId } });
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { name: true, currency: true } });
  const { storefrontAvailable } = await import("../../app/models/back-in-stock.server.ts");
  // The other option on the page: a variant of the same product when it has one, else an in-stock SKU.
  const candidates = await prisma.sku.findMany({ where: { shopId, id: { not: soldOut.id }, shopifyVariantId: { not: null }, status: "ACTIVE" }, orderBy: [{ title: "asc" }], take: 200 });
  const stock = await storefrontAvailable(shopId, candidates.map((c) => c.id));
  const sibling = candidates.filter((c) => (stock.get(c.id) ?? 0) > 0).sort((a, b) => Number(b.title === soldOut.title) - Number(a.title === soldOut.title))[0];

  async function variants(): Promise<Variant[]> {
    const skus = [sibling, soldOut].filter((s): s is NonNullable<typeof s> => Boolean(s));
    const now = await storefrontAvailable(shopId, skus.map((s) => s.id));
    return skus.map((s) => ({
      id: numericId(s.shopifyVariantId),
      skuId: s.id,
      label: s.title === soldOut.title ? (s.variantTitle ?? s.code) : `${s.title}${s.variantTitle ? ` (${s.variantTitle})` : ""}`,
      available: (now.get(s.id) ?? 0) > 0,
    }));
  }

  const handle = "demo-product";
  async function productPage(): Promise<string> {
    const list = await variants();
    const selected = list.find((v) => v.skuId === soldOut.id) ?? list[0]!;
    const options = list.map((v) => `<option value="${v.id}"${v === selected ? " selected" : ""}>${escapeHtml(v.label)}${v.available ? "" : " – sold out"}</option>`).join("");
    const json = JSON.stringify(list.map((v) => ({ id: Number(v.id), available: v.available })));
    const price = formatPrice(soldOut.price?.toString(), shop.currency) ?? "";
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(soldOut.title)} – ${escapeHtml(shop.name)}</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/back-in-stock.css">
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}.demo{margin-top:3rem;padding:1rem;border:1px dashed #999;border-radius:8px;font-size:14px}</style></head>
<body><main><section class="shopify-section" id="shopify-section-main-product">
<p><small>${escapeHtml(shop.name)} · demo storefront</small></p>
<h1>${escapeHtml(soldOut.title)}</h1>
<p class="price">${escapeHtml(price)}</p>
<form method="post" action="/cart/add" id="product-form">
<label for="variant-select">Option</label>
<select id="variant-select" name="id">${options}</select>
<button type="submit" id="add-to-cart">Add to cart</button>
</form>
<div class="bis" data-bis data-proxy="/apps/back-in-stock" data-variant="${selected.id}" data-locale="en" data-sending="Sending…"
 data-invalid-email="Enter a valid email address, like name@example.com." data-invalid-phone="Enter your phone number with the country code, like +14155550123."
 data-network-error="We couldn't reach the store. Please try again."
 style="--bis-text: #1a1a1a; --bis-accent: #1a1a1a; --bis-button-text: #ffffff; --bis-border: #d0d0d0;"${selected.available ? " hidden" : ""}>
<script type="application/json" data-bis-variants>${json}</script>
<p class="bis__eta" data-bis-eta hidden></p>
<form class="bis__form" data-bis-form novalidate>
<h3 class="bis__heading" id="bis-heading-demo">Notify me when available</h3>
<div class="bis__field" data-bis-field="EMAIL"><label for="bis-email-demo">Email</label>
<input id="bis-email-demo" type="email" name="email" autocomplete="email" required aria-describedby="bis-status-demo" value=""></div>
<p class="bis__consent" data-bis-consent>We'll send you one message when this item is back in stock. No marketing.</p>
<button type="submit" class="bis__submit">Notify me</button>
</form>
<p class="bis__status" id="bis-status-demo" data-bis-status role="status" aria-live="polite" tabindex="-1"></p>
</div>
</section>
<form class="demo" method="post" action="/demo/receive"><strong>Demo:</strong> subscribe above, then
<button type="submit">Receive the open PO for this variant</button> — the warehouse books it through the real receiving service,
the variant comes back in stock and the alert lands in the demo mailbox.</form>
</main>
<script>
document.getElementById('variant-select').addEventListener('change', function (event) {
  var id = event.target.value;
  history.replaceState({}, '', '?variant=' + id);
  document.dispatchEvent(new CustomEvent('variant:change', { detail: { variant: { id: Number(id) } } }));
});
</script>
<script src="/assets/back-in-stock.js" defer></script>
</body></html>`;
  }

  async function forward(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const subpath = url.pathname.replace(/^\/apps\/back-in-stock\//, "");
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    Object.assign(params, { shop: options.shopDomain, logged_in_customer_id: "", path_prefix: "/apps/back-in-stock", timestamp: String(Math.floor(Date.now() / 1000)) });
    params.signature = signAppProxy(options.apiSecret, params);
    const method = req.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(req);
    const response = await fetch(`${options.appUrl}/proxy/${subpath}?${new URLSearchParams(params).toString()}`, {
      method,
      headers: { "content-type": String(req.headers["content-type"] ?? ""), "x-forwarded-for": "127.0.0.1" },
      body,
    });
    sendText(res, response.status, await response.text(), response.headers.get("content-type") ?? "application/json");
  }

  async function receive(res: ServerResponse): Promise<void> {
    const current = await prisma.purchaseOrderLine.findUniqueOrThrow({ where: { id: line!.id }, select: { quantityOrdered: true, quantityReceived: true } });
    const remaining = current.quantityOrdered - current.quantityReceived;
    if (remaining > 0) {
      const { confirmReceipt } = await import("../../app/services/receiving.server.ts");
      try {
        await confirmReceipt(shopId, { purchaseOrderId: line!.purchaseOrderId, receiptKey: `demo-storefront-${line!.id}`, lines: [{ lineId: line!.id, received: remaining }], receivedBy: "demo storefront" });
      } catch (error) {
        return sendText(res, 409, `Could not receive the PO: ${error instanceof Error ? error.message : String(error)}`, "text/plain; charset=utf-8");
      }
    }
    res.writeHead(303, { location: `/products/${handle}` });
    res.end();
  }

  const server: RunningServer = await listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://storefront");
    if (url.pathname === "/") {
      res.writeHead(302, { location: `/products/${handle}` });
      res.end();
      return;
    }
    if (url.pathname.startsWith("/apps/back-in-stock/")) return forward(req, res, url);
    if (url.pathname === `/products/${handle}`) return sendText(res, 200, await productPage(), "text/html; charset=utf-8", { "cache-control": "no-store" });
    if (url.pathname === "/demo/receive" && req.method === "POST") return receive(res);
    const asset = /^\/assets\/(back-in-stock\.(js|css))$/.exec(url.pathname);
    if (asset) return sendText(res, 200, await readFile(path.join(assets, asset[1]!), "utf8"), asset[2] === "js" ? "text/javascript" : "text/css");
    sendText(res, 404, "Not found", "text/plain");
  });
  return { url: server.origin, productUrl: `${server.origin}/products/${handle}`, close: () => server.close() };
}
