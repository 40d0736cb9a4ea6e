import { createHmac, hkdfSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "#app/env.server.ts";
import { AppError } from "./app-error.ts";
import {
  DEFAULT_PORTAL_TOKEN_TTL_MS,
  INVALID_PORTAL_LINK_MESSAGE,
  issuePortalToken,
  readPortalToken,
  verifyPortalToken,
  type PortalTokenScope,
} from "./signed-link.server.ts";

const secret = "unit-test-secret-0123456789abcdef0123456789";
const scope: PortalTokenScope = { shopId: "shop_1", supplierId: "sup_1", purchaseOrderId: "po_1" };
const issued = new Date("2026-03-01T12:00:00.000Z");
const later = (ms: number) => new Date(issued.getTime() + ms);
const HOUR = 3_600_000;

const issue = (overrides: Partial<PortalTokenScope & { ttlMs: number; now: Date }> = {}) =>
  issuePortalToken({ ...scope, now: issued, ...overrides }, { secret });

function verify(token: string, overrides: { now?: Date; revokedBefore?: Date | null; expect?: PortalTokenScope; secret?: string } = {}) {
  return verifyPortalToken(
    token,
    { now: overrides.now ?? later(HOUR), revokedBefore: overrides.revokedBefore ?? null, expect: overrides.expect ?? scope },
    { secret: overrides.secret ?? secret },
  );
}

/** Every refusal must look the same: one kind, one message, nothing else. */
function expectRefused(run: () => unknown) {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect(caught).toMatchObject({ kind: "forbidden", message: INVALID_PORTAL_LINK_MESSAGE });
  expect((caught as AppError).cause).toBeUndefined();
}

/** A correctly signed token with any payload: to prove that checks after the signature hold on their own. */
function forge(fields: unknown, key = secret): string {
  const payload = Buffer.from(JSON.stringify(fields)).toString("base64url");
  const k = Buffer.from(hkdfSync("sha256", key, "replenish", "supplier-portal-token/v1", 32));
  return `${payload}.${createHmac("sha256", k).update(payload).digest("base64url")}`;
}

afterEach(() => {
  resetEnvForTests();
});

describe("portal tokens", () => {
  it("round-trips the scope and times, URL-safe and compact", () => {
    const token = issue();
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThan(200);
    const claims = verify(token);
    expect(claims).toEqual({ ...scope, version: 1, issuedAt: issued, expiresAt: later(DEFAULT_PORTAL_TOKEN_TTL_MS) });
    expect(readPortalToken(token, later(HOUR), { secret })).toEqual(claims);
  });

  it("refuses a tampered payload (another PO id with the old signature)", () => {
    const [, signature] = issue().split(".");
    const payload = Buffer.from(JSON.stringify([1, "shop_1", "sup_1", "po_2", issued.getTime(), later(HOUR * 24).getTime()])).toString("base64url");
    expectRefused(() => verify(`${payload}.${signature}`, { expect: { ...scope, purchaseOrderId: "po_2" } }));
  });

  it("refuses a tampered or truncated signature, and junk", () => {
    const token = issue();
    const flipped = token.slice(0, -2) + (token.at(-2) === "A" ? "B" : "A") + token.at(-1);
    expectRefused(() => verify(flipped));
    expectRefused(() => verify(token.slice(0, -4)));
    expectRefused(() => verify(`${token}.extra`));
    expectRefused(() => verify(token.split(".")[0] ?? ""));
    expectRefused(() => verify(""));
    expectRefused(() => verify("not a token"));
    expectRefused(() => verify("x".repeat(5000)));
  });

  it("refuses a token signed with another secret", () => {
    expectRefused(() => verify(issue(), { secret: "another-secret-0123456789abcdef0123456789" }));
  });

  it("refuses an expired token (expiry instant included)", () => {
    const token = issue({ ttlMs: 2 * HOUR });
    expect(verify(token, { now: later(2 * HOUR - 1) }).purchaseOrderId).toBe("po_1");
    expectRefused(() => verify(token, { now: later(2 * HOUR) }));
    expectRefused(() => readPortalToken(token, later(3 * HOUR), { secret }));
  });

  it("refuses a token issued before the supplier revoked their links, accepts one issued after", () => {
    const old = issue();
    const revokedBefore = later(30 * 60_000);
    expectRefused(() => verify(old, { revokedBefore }));
    const fresh = issue({ now: revokedBefore });
    expect(verify(fresh, { revokedBefore }).issuedAt).toEqual(revokedBefore);
  });

  it("refuses another supplier's, another PO's and another shop's token", () => {
    const token = issue();
    expectRefused(() => verify(token, { expect: { ...scope, supplierId: "sup_2" } }));
    expectRefused(() => verify(token, { expect: { ...scope, purchaseOrderId: "po_2" } }));
    expectRefused(() => verify(token, { expect: { ...scope, shopId: "shop_2" } }));
  });

  it("refuses correctly signed payloads of the wrong version or shape", () => {
    const t = issued.getTime();
    expect(verify(forge([1, "shop_1", "sup_1", "po_1", t, t + 2 * HOUR])).shopId).toBe("shop_1");
    expectRefused(() => verify(forge([2, "shop_1", "sup_1", "po_1", t, t + 2 * HOUR])));
    expectRefused(() => verify(forge({ shopId: "shop_1" })));
    expectRefused(() => verify(forge([1, "shop_1", "sup_1", "po_1", t])));
    expectRefused(() => verify(forge([1, "shop_1", 7, "po_1", t, t + 2 * HOUR])));
    expectRefused(() => verify(forge([1, "shop_1", "sup_1", "po_1", t, "never"])));
  });

  it("derives its key from APP_SECRET in the validated env by default", () => {
    const vars: Record<string, string> = {
      DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/x",
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      SHOPIFY_APP_URL: "https://replenish.test",
      APP_SECRET: secret,
    };
    const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
    try {
      Object.assign(process.env, vars);
      resetEnvForTests();
      const fromEnv = issuePortalToken({ ...scope, now: issued });
      expect(verify(fromEnv).supplierId).toBe("sup_1");
      expect(verifyPortalToken(issue(), { now: later(HOUR), revokedBefore: null, expect: scope }).supplierId).toBe("sup_1");
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("will not issue a token without a scope or with a non-positive lifetime", () => {
    expect(() => issue({ supplierId: "" })).toThrow("supplierId is required");
    expect(() => issue({ ttlMs: 0 })).toThrow(RangeError);
  });
});
