/**
 * Shopper contact validation for the back-in-stock form. Pure; the service decides whether SMS is
 * allowed for the shop. Returns the normalized contact (the unique key de-duplicates on it) or a
 * message the storefront block shows as is.
 */

export type ContactType = "EMAIL" | "SMS";

export type ContactResult = { ok: true; type: ContactType; contact: string } | { ok: false; message: string };

// RFC-ish: one @, a dot-separated domain with a 2+ letter TLD, no spaces or angle brackets. Full RFC 5322
// accepts addresses no mail provider delivers to; this rejects typos shoppers actually make.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

export function normalizeEmail(raw: string): ContactResult {
  const email = raw.trim().toLowerCase();
  if (email.length === 0) return { ok: false, message: "Enter your email address." };
  const [local = ""] = email.split("@");
  if (email.length > 254 || local.length > 64 || !EMAIL.test(email) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return { ok: false, message: "Enter a valid email address, like name@example.com." };
  }
  return { ok: true, type: "EMAIL", contact: email };
}

/** E.164: "+", country code not starting with 0, 8–15 digits in all. Spaces, dashes, dots and parentheses are tolerated. */
export function normalizePhone(raw: string): ContactResult {
  const compact = raw.trim().replace(/[\s().-]/g, "");
  if (compact.length === 0) return { ok: false, message: "Enter your phone number." };
  if (!/^\+[1-9]\d{7,14}$/.test(compact)) {
    return { ok: false, message: "Enter your phone number with the country code, like +14155550123." };
  }
  return { ok: true, type: "SMS", contact: compact };
}
