import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getEnv } from "#app/env.server.ts";
import { AppError } from "./app-error.ts";

/**
 * Supplier-portal tokens (issue 5, item 4): the only key to the public portal pages, so a link in an
 * email opens exactly one PO of one supplier of one shop, for a limited time, until revoked.
 *
 * Format: `<payload>.<signature>`, both base64url. The payload is a JSON array
 * [version, shopId, supplierId, purchaseOrderId, issuedAtMs, expiresAtMs] (an array, not an object,
 * to keep links short in emails). The signature is HMAC-SHA256 over the payload text with a key
 * derived from APP_SECRET by HKDF, so the same secret can also encrypt channel credentials without the
 * two uses ever sharing a key, and a new token version gets a new key.
 *
 * Every refusal (malformed, tampered, expired, revoked, another supplier/PO/shop, unknown version)
 * throws the same AppError('forbidden') with the same message: a person probing links learns nothing
 * about which part was wrong. The signature is compared with timingSafeEqual, before anything in the
 * payload is trusted or even parsed.
 *
 * Revocation: a supplier's `portalTokensRevokedBefore` refuses every token issued before it (a lost
 * inbox, a contact who left). The caller loads that instant and passes it in.
 */

export const PORTAL_TOKEN_VERSION = 1;
export const DEFAULT_PORTAL_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000; // a PO's negotiation and shipping window
const MAX_TOKEN_LENGTH = 1024; // refuse junk before hashing it
const SIGNATURE_BYTES = 32;

export const INVALID_PORTAL_LINK_MESSAGE = "This link is not valid. Ask the merchant for a new one.";

export interface PortalTokenScope {
  shopId: string;
  supplierId: string;
  purchaseOrderId: string;
}

export interface PortalTokenClaims extends PortalTokenScope {
  version: number;
  issuedAt: Date;
  expiresAt: Date;
}

export interface SecretOption {
  /** Defaults to APP_SECRET from the validated env; tests pass one in. */
  secret?: string;
}

function keyFor(secret: string, version: number): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "replenish", `supplier-portal-token/v${version}`, 32));
}

function sign(payload: string, secret: string, version: number): Buffer {
  return createHmac("sha256", keyFor(secret, version)).update(payload).digest();
}

/** The one refusal, for callers that find a problem after the token checked out (e.g. the PO is gone). */
export function invalidPortalLinkError(): AppError {
  return new AppError("forbidden", INVALID_PORTAL_LINK_MESSAGE);
}

function refuse(): never {
  throw invalidPortalLinkError();
}

export function issuePortalToken(
  scope: PortalTokenScope & { now: Date; ttlMs?: number },
  options: SecretOption = {},
): string {
  const ttlMs = scope.ttlMs ?? DEFAULT_PORTAL_TOKEN_TTL_MS;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be positive, got ${ttlMs}`);
  for (const [name, value] of Object.entries({ shopId: scope.shopId, supplierId: scope.supplierId, purchaseOrderId: scope.purchaseOrderId })) {
    if (typeof value !== "string" || value.length === 0) throw new TypeError(`${name} is required`);
  }
  const issuedAt = scope.now.getTime();
  const payload = Buffer.from(
    JSON.stringify([PORTAL_TOKEN_VERSION, scope.shopId, scope.supplierId, scope.purchaseOrderId, issuedAt, issuedAt + ttlMs]),
  ).toString("base64url");
  const signature = sign(payload, options.secret ?? getEnv().APP_SECRET, PORTAL_TOKEN_VERSION).toString("base64url");
  return `${payload}.${signature}`;
}

/** Signature, version, shape and expiry; no scope or revocation (see verifyPortalToken). */
function readVerified(token: string, now: Date, secret: string): PortalTokenClaims {
  if (typeof token !== "string" || token.length === 0 || token.length > MAX_TOKEN_LENGTH) refuse();
  const parts = token.split(".");
  if (parts.length !== 2) refuse();
  const [payload = "", signatureText = ""] = parts;
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]+$/.test(signatureText)) refuse();
  const given = Buffer.from(signatureText, "base64url");
  // Only one version exists; a future one would pick its key from a version prefix outside the payload.
  const expected = sign(payload, secret, PORTAL_TOKEN_VERSION);
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, expected)) refuse();

  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    refuse();
  }
  if (!Array.isArray(fields) || fields.length !== 6) refuse();
  const [version, shopId, supplierId, purchaseOrderId, issuedAt, expiresAt] = fields as unknown[];
  if (
    version !== PORTAL_TOKEN_VERSION ||
    typeof shopId !== "string" ||
    typeof supplierId !== "string" ||
    typeof purchaseOrderId !== "string" ||
    typeof issuedAt !== "number" ||
    typeof expiresAt !== "number" ||
    !Number.isSafeInteger(issuedAt) ||
    !Number.isSafeInteger(expiresAt)
  ) {
    refuse();
  }
  if (now.getTime() >= expiresAt) refuse();
  return { version, shopId, supplierId, purchaseOrderId, issuedAt: new Date(issuedAt), expiresAt: new Date(expiresAt) };
}

/**
 * The signed claims of a genuine, unexpired token, so the portal route knows which supplier's
 * revocation instant to load. Not an authorisation: call verifyPortalToken before showing anything.
 */
export function readPortalToken(token: string, now: Date, options: SecretOption = {}): PortalTokenClaims {
  return readVerified(token, now, options.secret ?? getEnv().APP_SECRET);
}

/**
 * The whole check: genuine, unexpired, issued at or after the supplier's revocation instant, and for
 * exactly this shop, supplier and PO. Returns the claims or throws the one generic AppError('forbidden').
 */
export function verifyPortalToken(
  token: string,
  check: { now: Date; revokedBefore: Date | null; expect: PortalTokenScope },
  options: SecretOption = {},
): PortalTokenClaims {
  const claims = readVerified(token, check.now, options.secret ?? getEnv().APP_SECRET);
  if (check.revokedBefore !== null && claims.issuedAt.getTime() < check.revokedBefore.getTime()) refuse();
  // Not timing-sensitive: the ids are not secrets, and the signature already proved who wrote them.
  if (
    claims.shopId !== check.expect.shopId ||
    claims.supplierId !== check.expect.supplierId ||
    claims.purchaseOrderId !== check.expect.purchaseOrderId
  ) {
    refuse();
  }
  return claims;
}
