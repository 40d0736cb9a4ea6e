import { isAppError, AppError } from "#app/lib/app-error.ts";
import { logger } from "#app/lib/logger.server.ts";
import { enforceRateLimits, type RateLimitRule } from "#app/lib/rate-limit.server.ts";
import { normalizeEmail, normalizePhone, type ContactResult } from "#app/domain/back-in-stock/contact.ts";
import { expectedShipDate, expectedShipMessage } from "#app/domain/back-in-stock/expected-ship-date.ts";
import { optInEmail } from "#app/domain/back-in-stock/messages.ts";
import { findShopByDomain } from "#app/models/shop.server.ts";
import { confirmUrl } from "#app/services/back-in-stock-notify.server.ts";
import { dispatchNotifications } from "#app/services/notification-outbox.server.ts";
import { createSubscription, findSkuByVariantId, getBackInStockSettings, listIncomingLines } from "#app/models/subscription.server.ts";

/**
 * The storefront back-in-stock endpoints behind Shopify's app proxy
 * (https://<shop>/apps/back-in-stock/* → <app>/proxy/*). Every answer is JSON `{ ok, message }` the
 * theme block shows to the shopper as is, errors included.
 */

// Per IP: a shopper tries a few variants and fixes a typo or two; a script hammering the form does not
// get to fill the table. Per contact: stops someone signing a victim up over and over from many IPs.
export const SUBSCRIBE_RATE_LIMITS = {
  perIp: { name: "bis-ip", limit: 20, windowMs: 10 * 60_000 },
  perContact: { name: "bis-contact", limit: 5, windowMs: 60 * 60_000 },
} as const satisfies Record<string, RateLimitRule>;

export type SubscribeInput = {
  variantId: string;
  /** Email, or phone (E.164) when `contactType` is SMS. */
  contact: string;
  contactType?: "EMAIL" | "SMS";
  /** The consent sentence the shopper saw next to the button, stored as given. */
  consentText: string;
  locale?: string | null;
  customerId?: string | null;
  ip: string;
  now?: Date;
};

export type StorefrontAnswer = { ok: boolean; message: string; status?: "subscribed" | "pending_confirmation" | "already_subscribed" };

export async function subscribe(shopDomain: string, input: SubscribeInput): Promise<StorefrontAnswer & { httpStatus: number }> {
  await enforceRateLimits([{ rule: SUBSCRIBE_RATE_LIMITS.perIp, subject: input.ip }]);

  const shop = await findShopByDomain(shopDomain);
  if (!shop || shop.uninstalledAt) throw new AppError("not_found", "Back-in-stock alerts are not available in this store.");
  const settings = await getBackInStockSettings(shop.id);

  const contactType = input.contactType ?? "EMAIL";
  if (contactType === "SMS" && !settings.backInStockSmsEnabled) throw new AppError("invalid", "Text message alerts are not available. Please use your email address.");
  const contact: ContactResult = contactType === "SMS" ? normalizePhone(input.contact) : normalizeEmail(input.contact);
  if (!contact.ok) throw new AppError("invalid", contact.message);

  const consentText = input.consentText.trim();
  if (consentText.length === 0 || consentText.length > 2000) throw new AppError("invalid", "Please reload the page and try again.");

  const variantId = input.variantId.trim();
  if (!/^(gid:\/\/shopify\/ProductVariant\/)?\d{1,20}$/.test(variantId)) throw new AppError("invalid", "Choose a product option first.");

  await enforceRateLimits([{ rule: SUBSCRIBE_RATE_LIMITS.perContact, subject: `${shop.id}:${contact.contact}` }]);

  const sku = await findSkuByVariantId(shop.id, variantId);
  if (!sku) throw new AppError("not_found", "This product option is not available for alerts.");

  const productName = sku.variantTitle ? `${sku.title} (${sku.variantTitle})` : sku.title;
  const result = await createSubscription({
    shopId: shop.id,
    skuId: sku.id,
    contactType: contact.type,
    contact: contact.contact,
    consentText,
    consentAt: input.now ?? new Date(),
    locale: input.locale?.slice(0, 35) ?? null,
    customerId: input.customerId?.slice(0, 64) || null,
    doubleOptIn: settings.backInStockDoubleOptIn,
    optIn: (subscription) => {
      const email = optInEmail(productName, shop.name, confirmUrl(subscription.unsubscribeToken));
      return contact.type === "SMS"
        ? { subject: email.subject, bodyText: `${shop.name}: tap to confirm your alert for ${productName}: ${confirmUrl(subscription.unsubscribeToken)}` }
        : { subject: email.subject, bodyText: email.text, bodyHtml: email.html };
    },
  });
  if (result.outcome !== "duplicate") await dispatchNotifications(shop.id, result.notificationIds);

  if (result.outcome === "duplicate") {
    return { ok: true, status: "already_subscribed", message: "You're already on the list. We'll let you know when it's back.", httpStatus: 200 };
  }
  if (settings.backInStockDoubleOptIn) {
    const where = contact.type === "SMS" ? "your phone" : "your inbox";
    return { ok: true, status: "pending_confirmation", message: `Almost done: please confirm the message we sent to ${where}.`, httpStatus: 201 };
  }
  return { ok: true, status: "subscribed", message: "You're on the list. We'll let you know when it's back.", httpStatus: 201 };
}

export type EtaAnswer = { ok: boolean; message: string; eta: string | null };

/** The earliest open-PO arrival for the variant, or `eta: null` (and an empty message) when none. */
export async function expectedShipDateFor(shopDomain: string, variantId: string, now: Date = new Date()): Promise<EtaAnswer> {
  const shop = await findShopByDomain(shopDomain);
  if (!shop || shop.uninstalledAt) throw new AppError("not_found", "Back-in-stock alerts are not available in this store.");
  if (!/^(gid:\/\/shopify\/ProductVariant\/)?\d{1,20}$/.test(variantId.trim())) throw new AppError("invalid", "Choose a product option first.");
  const sku = await findSkuByVariantId(shop.id, variantId.trim());
  if (!sku) return { ok: true, message: "", eta: null };
  const eta = expectedShipDate(await listIncomingLines(shop.id, sku.id), now);
  return eta ? { ok: true, message: expectedShipMessage(eta), eta: eta.isoDate } : { ok: true, message: "", eta: null };
}

// ───────────── HTTP edge (the proxy routes delegate here) ─────────────

const JSON_HEADERS = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function jsonAnswer(body: object, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/**
 * Verifies Shopify's app proxy signature (sorted query, HMAC-SHA256 with the app secret, 90 s
 * timestamp tolerance). The library throws a bare 400 Response for a missing, altered, wrongly keyed or
 * stale signature; the shopper's block needs words, so that becomes a JSON 401.
 */
async function verifiedShop(request: Request): Promise<{ shop: string } | Response> {
  const { authenticate } = await import("#app/shopify.server.ts");
  try {
    await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response) {
      return jsonAnswer({ ok: false, message: "We couldn't verify this request. Please reload the page and try again." }, 401);
    }
    throw error;
  }
  const shop = new URL(request.url).searchParams.get("shop");
  if (!shop) return jsonAnswer({ ok: false, message: "We couldn't verify this request. Please reload the page and try again." }, 401);
  return { shop };
}

function errorAnswer(error: unknown): Response {
  if (isAppError(error)) {
    switch (error.kind) {
      case "invalid":
        return jsonAnswer({ ok: false, message: error.message }, 422);
      case "not_found":
        return jsonAnswer({ ok: false, message: error.message }, 404);
      case "rate_limited": {
        const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
        return jsonAnswer({ ok: false, message: error.message }, 429, { "Retry-After": String(seconds) });
      }
      default:
        break;
    }
  }
  logger.error({ err: error }, "back-in-stock proxy request failed");
  return jsonAnswer({ ok: false, message: "Something went wrong. Please try again in a moment." }, 503);
}

/** The shopper's IP: Shopify's proxy forwards it as the first X-Forwarded-For entry. */
function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "unknown";
}

async function readBody(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const parsed: unknown = await request.json().catch(() => null);
    if (!parsed || typeof parsed !== "object") return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  }
  const form = await request.formData().catch(() => null);
  if (!form) return {};
  return Object.fromEntries([...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** POST /proxy/subscribe?variant=<id>: the variant travels in the (signed) query, the contact in the body. */
export async function handleSubscribeRequest(request: Request): Promise<Response> {
  if (request.method !== "POST") return jsonAnswer({ ok: false, message: "Method not allowed" }, 405, { Allow: "POST" });
  const verified = await verifiedShop(request);
  if (verified instanceof Response) return verified;
  try {
    const url = new URL(request.url);
    const body = await readBody(request);
    const contactType = body.contact_type === "SMS" || body.contact_type === "sms" ? "SMS" : "EMAIL";
    const answer = await subscribe(verified.shop, {
      variantId: url.searchParams.get("variant") ?? "",
      contact: contactType === "SMS" ? (body.phone ?? body.contact ?? "") : (body.email ?? body.contact ?? ""),
      contactType,
      consentText: body.consent_text ?? "",
      locale: body.locale ?? null,
      customerId: url.searchParams.get("logged_in_customer_id") || null,
      ip: clientIp(request),
    });
    const { httpStatus, ...payload } = answer;
    return jsonAnswer(payload, httpStatus);
  } catch (error) {
    return errorAnswer(error);
  }
}

/** GET /proxy/eta?variant=<id> */
export async function handleEtaRequest(request: Request): Promise<Response> {
  const verified = await verifiedShop(request);
  if (verified instanceof Response) return verified;
  try {
    const answer = await expectedShipDateFor(verified.shop, new URL(request.url).searchParams.get("variant") ?? "");
    return jsonAnswer(answer, 200);
  } catch (error) {
    return errorAnswer(error);
  }
}
