import { parseJson, type AmazonReply, type AmazonRequest } from "./wire.ts";

// Login with Amazon token endpoint (api.amazon.com POST /auth/o2/token). amazon-sp-api sends JSON;
// Amazon also accepts a form body, so both are read. Errors are OAuth's {error, error_description}.

export function lwaToken(req: AmazonRequest): AmazonReply {
  const { state } = req;
  const contentType = String(req.headers["content-type"] ?? "");
  const params: Record<string, unknown> = contentType.includes("application/x-www-form-urlencoded")
    ? Object.fromEntries(new URLSearchParams(req.body))
    : ((parseJson(req.body) as Record<string, unknown> | undefined) ?? {});

  if (params.client_id !== state.clientId || params.client_secret !== state.clientSecret) {
    return { status: 401, json: { error: "invalid_client", error_description: "Client authentication failed" } };
  }
  if (params.grant_type !== "refresh_token") {
    return { status: 400, json: { error: "unsupported_grant_type", error_description: "The authorization grant type is not supported by the authorization server" } };
  }
  if (params.refresh_token !== state.refreshToken) {
    return { status: 400, json: { error: "invalid_grant", error_description: "The request has an invalid grant parameter : refresh_token" } };
  }
  const { token, expiresInSeconds } = state.issueAccessToken();
  return { status: 200, json: { access_token: token, refresh_token: state.refreshToken, token_type: "bearer", expires_in: expiresInSeconds } };
}
