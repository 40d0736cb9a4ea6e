import { getEnv } from "#app/env.server.ts";
import { DeliveryError } from "#app/lib/mailer.server.ts";

/**
 * Text messages through a Twilio-compatible REST API: POST /2010-04-01/Accounts/{sid}/Messages.json,
 * form-encoded To/From/Body, HTTP basic auth with the account sid and auth token
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 * Tests and the demo point TWILIO_API_BASE at the local fake in sandbox/twilio.
 *
 * Failures become DeliveryError: 429 → rate limited (the queue pauses, no attempt spent); 5xx or a
 * lost connection → retried; other 4xx (invalid or unreachable number, bad credentials) → permanent.
 */

export type SmsMessage = { to: string; body: string; from?: string };
export type SentSms = { messageId: string; status: string };

export type SmsClient = { sendSms(message: SmsMessage): Promise<SentSms> };

export type SmsClientOptions = {
  apiBase: string;
  accountSid: string;
  authToken: string;
  from: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

export function createSmsClient(options: SmsClientOptions): SmsClient {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`, options.apiBase);
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;

  return {
    async sendSms(message) {
      const body = new URLSearchParams({ To: message.to, From: message.from ?? options.from, Body: message.body });
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        throw new DeliveryError(`SMS API unreachable: ${error instanceof Error ? error.message : String(error)}`, { permanent: false, cause: error });
      }
      const text = await response.text();
      const json = parseJson(text);
      if (response.ok) {
        const sid = typeof json?.sid === "string" ? json.sid : undefined;
        if (!sid) throw new DeliveryError(`SMS API answered ${response.status} without a message sid`, { permanent: false });
        return { messageId: sid, status: typeof json?.status === "string" ? json.status : "queued" };
      }
      const code = json?.code !== undefined ? String(json.code) : String(response.status);
      const detail = typeof json?.message === "string" ? json.message : text.slice(0, 200);
      const message_ = `SMS API ${response.status}${json?.code !== undefined ? ` (code ${code})` : ""}: ${detail}`;
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get("retry-after"));
        const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1_000;
        throw new DeliveryError(message_, { permanent: false, rateLimited: true, providerCode: code, retryAfterMs });
      }
      throw new DeliveryError(message_, { permanent: response.status < 500, providerCode: code });
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

let shared: { key: string; client: SmsClient } | undefined;

/** The process-wide client for TWILIO_API_BASE / TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN / TWILIO_FROM. */
export function getSmsClient(): SmsClient {
  const env = getEnv();
  const key = [env.TWILIO_API_BASE, env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM].join("\n");
  if (!shared || shared.key !== key) {
    shared = { key, client: createSmsClient({ apiBase: env.TWILIO_API_BASE, accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM }) };
  }
  return shared.client;
}

export function sendSms(message: SmsMessage): Promise<SentSms> {
  return getSmsClient().sendSms(message);
}
