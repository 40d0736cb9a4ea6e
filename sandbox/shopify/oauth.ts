import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// POST /admin/oauth/access_token as the SDK uses it: token exchange (a session token from App Bridge, or
// a non-expiring offline token being migrated, for an online or offline access token, expiring when
// `expiring=1`) and refresh_token for expiring offline tokens. The sandbox remembers what it issued so
// GraphQL calls can be authenticated like Shopify does.

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE_TOKEN = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE_TOKEN = "urn:shopify:params:oauth:token-type:online-access-token";

export type TokenReply = { status: number; body: unknown };

type Issued = { expiresAt: number | null; scope: string };

export class TokenRegistry {
  private readonly tokens = new Map<string, Issued>();
  private readonly refreshTokens = new Map<string, { scope: string }>();

  constructor(
    private readonly apiSecret: string,
    private readonly apiKey: string | null,
    private readonly scope: string,
    staticTokens: string[],
    /** Lifetime of expiring access tokens (Shopify: one hour). */
    private readonly expiresInSeconds = 3600,
  ) {
    for (const token of staticTokens) this.tokens.set(token, { expiresAt: null, scope });
  }

  /** A non-expiring offline token, as if the app had been installed (tests store it in a session). */
  issue(): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.tokens.set(token, { expiresAt: null, scope: this.scope });
    return token;
  }

  isValid(token: string | undefined): boolean {
    if (!token) return false;
    const issued = this.tokens.get(token);
    return issued !== undefined && (issued.expiresAt === null || issued.expiresAt > Date.now());
  }

  /** Makes a token unusable now (what uninstalling the app does). */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  handle(rawBody: string, contentType: string | undefined): TokenReply {
    const params = parseBody(rawBody, contentType);
    if (params.client_secret !== this.apiSecret || (this.apiKey !== null && params.client_id !== this.apiKey)) {
      return { status: 401, body: { error: "invalid_client", error_description: "Client authentication failed." } };
    }
    if (params.grant_type === "refresh_token") {
      const refresh = params.refresh_token ? this.refreshTokens.get(params.refresh_token) : undefined;
      if (!refresh || !params.refresh_token) return { status: 400, body: { error: "invalid_grant", error_description: "The refresh token is invalid or has expired." } };
      this.refreshTokens.delete(params.refresh_token); // refresh tokens rotate
      return { status: 200, body: this.expiringOffline(refresh.scope) };
    }
    if (params.grant_type !== TOKEN_EXCHANGE_GRANT) {
      return { status: 400, body: { error: "unsupported_grant_type", error_description: `The grant type ${params.grant_type ?? "(none)"} is not supported.` } };
    }
    if (params.subject_token_type === ID_TOKEN) {
      if (!params.subject_token || !this.verifySessionToken(params.subject_token)) {
        return { status: 400, body: { error: "invalid_subject_token", error_description: "The session token is invalid." } };
      }
    } else if (params.subject_token_type === OFFLINE_TOKEN) {
      if (!this.isValid(params.subject_token)) return { status: 400, body: { error: "invalid_subject_token", error_description: "The offline access token is invalid." } };
      if (params.subject_token) this.tokens.delete(params.subject_token); // migrated: the old one stops working
    } else {
      return { status: 400, body: { error: "invalid_request", error_description: "Unsupported subject_token_type." } };
    }
    if (params.requested_token_type === ONLINE_TOKEN) {
      const token = this.store(this.expiresInSeconds);
      return {
        status: 200,
        body: {
          access_token: token,
          scope: this.scope,
          expires_in: this.expiresInSeconds,
          associated_user_scope: this.scope,
          associated_user: { id: 1, first_name: "Sandbox", last_name: "Owner", email: "owner@example.com", account_owner: true, locale: "en", collaborator: false, email_verified: true },
        },
      };
    }
    if (params.expiring === "1") return { status: 200, body: this.expiringOffline(this.scope) };
    return { status: 200, body: { access_token: this.issue(), scope: this.scope } };
  }

  private store(expiresIn: number | null): string {
    const token = `shpat_${randomBytes(16).toString("hex")}`;
    this.tokens.set(token, { expiresAt: expiresIn === null ? null : Date.now() + expiresIn * 1000, scope: this.scope });
    return token;
  }

  private expiringOffline(scope: string) {
    const refreshToken = `shprt_${randomBytes(16).toString("hex")}`;
    this.refreshTokens.set(refreshToken, { scope });
    return { access_token: this.store(this.expiresInSeconds), scope, expires_in: this.expiresInSeconds, refresh_token: refreshToken, refresh_token_expires_in: 90 * 24 * 3600 };
  }

  /** App Bridge session tokens are HS256 JWTs signed with the app secret. */
  private verifySessionToken(jwt: string): boolean {
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return false;
    const expected = createHmac("sha256", this.apiSecret).update(`${header}.${payload}`).digest("base64url");
    const a = Buffer.from(expected);
    const b = Buffer.from(signature);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
    try {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { exp?: number; aud?: string };
      if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now() - 5000) return false;
      return this.apiKey === null || claims.aud === this.apiKey;
    } catch {
      return false;
    }
  }
}

function parseBody(raw: string, contentType: string | undefined): Record<string, string | undefined> {
  if (contentType?.includes("json")) {
    try {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v === undefined || v === null ? undefined : String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
