import type { EbayReply, EbayRequest } from "./wire.ts";

// POST /identity/v1/oauth2/token: form body, HTTP Basic with appId:certId. refresh_token mints a user
// token, client_credentials an application token. Errors are OAuth's {error, error_description}.

export function oauthToken(req: EbayRequest): EbayReply {
  const { state } = req;
  const authorization = String(req.headers.authorization ?? "");
  const expected = `Basic ${Buffer.from(`${state.appId}:${state.certId}`).toString("base64")}`;
  if (authorization !== expected) return { status: 401, json: { error: "invalid_client", error_description: "client authentication failed" } };

  const form = new URLSearchParams(req.body);
  const grant = form.get("grant_type");
  if (grant === "refresh_token") {
    if (form.get("refresh_token") !== state.refreshToken) {
      return { status: 400, json: { error: "invalid_grant", error_description: "the provided authorization refresh token is invalid or was issued to another client" } };
    }
    const { token, expiresInSeconds } = state.issueToken("user");
    return { status: 200, json: { access_token: token, expires_in: expiresInSeconds, token_type: "User Access Token" } };
  }
  if (grant === "client_credentials") {
    const { token, expiresInSeconds } = state.issueToken("application");
    return { status: 200, json: { access_token: token, expires_in: expiresInSeconds, token_type: "Application Access Token" } };
  }
  return { status: 400, json: { error: "unsupported_grant_type", error_description: `grant type '${String(grant)}' is not supported` } };
}
