/**
 * The words and links of back-in-stock messages (restock, ETA change, discontinued), as email
 * (text + HTML) and SMS. Pure: the caller passes the product, the shop, the links and `now`.
 */

export type ProductView = {
  name: string;
  imageUrl: string | null;
  /** Formatted for the shop's currency, e.g. "$24.00"; null when unknown. */
  price: string | null;
  productUrl: string;
  addToCartUrl: string;
};

export type MessageContext = { shopName: string; unsubscribeUrl: string };

export type EmailContent = { subject: string; text: string; html: string };

export function formatPrice(amount: string | number | null | undefined, currency: string): string | null {
  if (amount === null || amount === undefined || amount === "") return null;
  const value = Number(amount);
  if (!Number.isFinite(value)) return null;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** A direct add-to-cart link: Shopify's cart permalink `/cart/<variant id>:<qty>`. */
export function addToCartUrl(shopDomain: string, variantId: string | null): string {
  const numeric = variantId?.replace(/^gid:\/\/shopify\/ProductVariant\//, "");
  return numeric ? `https://${shopDomain}/cart/${numeric}:1` : `https://${shopDomain}/cart`;
}

export function productUrl(shopDomain: string, variantId: string | null): string {
  const numeric = variantId?.replace(/^gid:\/\/shopify\/ProductVariant\//, "");
  return numeric ? `https://${shopDomain}/variants/${numeric}` : `https://${shopDomain}/`;
}

export function escapeHtml(value: string): string {
  return value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

function productCard(product: ProductView): string {
  const image = product.imageUrl
    ? `<img src="${escapeHtml(product.imageUrl)}" alt="${escapeHtml(product.name)}" width="240" style="display:block;max-width:240px;height:auto;border-radius:6px">`
    : "";
  const price = product.price ? `<p style="margin:4px 0 12px;font-size:16px">${escapeHtml(product.price)}</p>` : "";
  return `${image}<h2 style="margin:12px 0 0;font-size:18px"><a href="${escapeHtml(product.productUrl)}" style="color:#111">${escapeHtml(product.name)}</a></h2>${price}`;
}

function layout(ctx: MessageContext, inner: string): string {
  return `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;max-width:560px;margin:0 auto;padding:16px">${inner}<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 8px"><p style="font-size:12px;color:#666">You asked ${escapeHtml(ctx.shopName)} to tell you about this item. <a href="${escapeHtml(ctx.unsubscribeUrl)}">Unsubscribe</a></p></body></html>`;
}

function button(href: string, label: string): string {
  return `<p><a href="${escapeHtml(href)}" style="display:inline-block;background:#111;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(label)}</a></p>`;
}

export function restockEmail(product: ProductView, ctx: MessageContext): EmailContent {
  const subject = `Back in stock: ${product.name}`;
  const text = [
    `Good news: ${product.name} is back in stock at ${ctx.shopName}.`,
    product.price ? `Price: ${product.price}` : null,
    "",
    `Add it to your cart: ${product.addToCartUrl}`,
    `See the product: ${product.productUrl}`,
    "",
    "Quantities are limited, so it may sell out again.",
    `Unsubscribe: ${ctx.unsubscribeUrl}`,
  ]
    .filter((line) => line !== null)
    .join("\n");
  const html = layout(ctx, `<p>Good news: it's back in stock.</p>${productCard(product)}${button(product.addToCartUrl, "Add to cart")}<p style="font-size:13px;color:#555">Quantities are limited, so it may sell out again.</p>`);
  return { subject, text, html };
}

export function restockSms(product: ProductView, ctx: MessageContext): string {
  return `${ctx.shopName}: ${product.name} is back in stock${product.price ? ` (${product.price})` : ""}. Add to cart: ${product.addToCartUrl} Stop alerts: ${ctx.unsubscribeUrl}`;
}

const DAY = 86_400_000;

/** "today", "yesterday", "3 days ago", "last week", "2 weeks ago", "last month", "3 months ago". */
export function whenWeSaid(saidAt: Date, now: Date): string {
  const days = Math.floor((now.getTime() - saidAt.getTime()) / DAY);
  if (days <= 0) return "Earlier today";
  if (days === 1) return "Yesterday";
  if (days < 7) return `${days} days ago`;
  if (days < 14) return "Last week";
  if (days < 30) return `${Math.floor(days / 7)} weeks ago`;
  if (days < 60) return "Last month";
  return `${Math.floor(days / 30)} months ago`;
}

/** A wait as people say it: "3 days", "1 week", "2 weeks", "about a month", "3 months". */
export function humanSpan(fromDate: Date, toDate: Date): string {
  const days = Math.max(0, Math.round((toDate.getTime() - fromDate.getTime()) / DAY));
  if (days <= 1) return days === 1 ? "1 day" : "today";
  if (days < 7) return `${days} days`;
  if (days < 28) {
    const weeks = Math.round(days / 7);
    return weeks === 1 ? "1 week" : `${weeks} weeks`;
  }
  if (days < 45) return "about a month";
  return `${Math.round(days / 30)} months`;
}

export function formatLongDate(date: Date): string {
  return new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", timeZone: "UTC" }).format(date);
}

/** "Last week we said 2 weeks, now we expect April 3." */
export function etaChangeSentence(input: { saidAt: Date; previousEta: Date; newEta: Date; now: Date }): string {
  return `${whenWeSaid(input.saidAt, input.now)} we said ${humanSpan(input.saidAt, input.previousEta)}, now we expect ${formatLongDate(input.newEta)}.`;
}

export function etaChangeEmail(product: ProductView, ctx: MessageContext, sentence: string, reason: "subscriber" | "backorder"): EmailContent {
  const later = sentence;
  const subject = `New expected date for ${product.name}`;
  const lead = reason === "backorder" ? `An update on the ${product.name} you ordered from ${ctx.shopName}.` : `An update on ${product.name}, which you asked ${ctx.shopName} to tell you about.`;
  const text = [lead, later, "", `See the product: ${product.productUrl}`, `Unsubscribe: ${ctx.unsubscribeUrl}`].join("\n");
  const html = layout(ctx, `<p>${escapeHtml(lead)}</p><p style="font-size:16px"><strong>${escapeHtml(later)}</strong></p>${productCard(product)}`);
  return { subject, text, html };
}

export function etaChangeSms(product: ProductView, ctx: MessageContext, sentence: string): string {
  return `${ctx.shopName}: ${product.name}. ${sentence} Stop alerts: ${ctx.unsubscribeUrl}`;
}

export function discontinuedEmail(product: ProductView, alternatives: readonly ProductView[], ctx: MessageContext): EmailContent {
  const subject = `${product.name} is no longer available`;
  const alt = alternatives.length > 0;
  const text = [
    `Sorry: ${product.name} is no longer available at ${ctx.shopName}, so we have closed your alert.`,
    ...(alt ? ["", "You might like these instead (in stock now):", ...alternatives.map((a) => `- ${a.name}${a.price ? ` (${a.price})` : ""}: ${a.productUrl}`)] : []),
    "",
    `Unsubscribe from ${ctx.shopName}'s alerts: ${ctx.unsubscribeUrl}`,
  ].join("\n");
  const cards = alternatives.map((a) => `<td style="vertical-align:top;padding:4px;width:33%">${productCard({ ...a, imageUrl: a.imageUrl })}${button(a.addToCartUrl, "Add to cart")}</td>`).join("");
  const html = layout(
    ctx,
    `<p>Sorry: <strong>${escapeHtml(product.name)}</strong> is no longer available, so we have closed your alert.</p>${alt ? `<p>You might like these instead (in stock now):</p><table role="presentation"><tr>${cards}</tr></table>` : ""}`,
  );
  return { subject, text, html };
}

export function discontinuedSms(product: ProductView, alternatives: readonly ProductView[], ctx: MessageContext): string {
  const alt = alternatives[0] ? ` Try ${alternatives[0].name}: ${alternatives[0].productUrl}` : "";
  return `${ctx.shopName}: sorry, ${product.name} is no longer available; your alert is closed.${alt}`;
}

export function optInEmail(productName: string, shopName: string, confirmUrl: string): { subject: string; text: string; html: string } {
  const subject = `Confirm your alert for ${productName}`;
  const text = `Please confirm that you want to hear from ${shopName} when ${productName} is back in stock:\n${confirmUrl}\n\nIf you did not ask for this, ignore this message.`;
  const html = `<!doctype html><html><body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif"><p>Please confirm that you want to hear from ${escapeHtml(shopName)} when <strong>${escapeHtml(productName)}</strong> is back in stock.</p>${button(confirmUrl, "Confirm my alert")}<p style="font-size:12px;color:#666">If you did not ask for this, ignore this message.</p></body></html>`;
  return { subject, text, html };
}

/**
 * Who gets told when `available` units come back: first come first served. `ratio` null = everyone;
 * otherwise up to ratio × available (at least one when anything is available).
 */
export function restockAudienceSize(waiting: number, available: number, ratio: number | null): number {
  if (available <= 0 || waiting <= 0) return 0;
  if (ratio === null || !Number.isFinite(ratio) || ratio <= 0) return waiting;
  return Math.min(waiting, Math.max(1, Math.floor(ratio * available)));
}
