import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Faults } from "#sandbox/shared/faults.ts";
import { listen, readBody, sendJson } from "#sandbox/shared/http-server.ts";
import { waitFor } from "#sandbox/shared/wait-for.ts";

// A local Twilio Messages API: the one call the app makes (create a message), with Twilio's wire shapes
// (form-encoded request, basic auth with the account sid + auth token, JSON answers with sid/status or
// code/message/more_info). Tests and the demo read what was "sent" from `messages`.
// https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource

export type TwilioFaultKind =
  | "throttle" // 429, Twilio error 20429 "Too Many Requests", Retry-After: 1
  | "server_error" // 500, error 20500
  | "invalid_number"; // 400, error 21211 "Invalid 'To' Phone Number" (permanent)

export type SandboxSms = { sid: string; accountSid: string; to: string; from: string; body: string; status: "queued"; dateCreated: string };

export type TwilioSandbox = {
  origin: string;
  port: number;
  accountSid: string;
  authToken: string;
  messages: SandboxSms[];
  faults: Faults<TwilioFaultKind>;
  /** Resolves once `count` messages (or one matching `predicate`) have arrived. */
  waitForMessages(countOrPredicate: number | ((messages: SandboxSms[]) => boolean), timeoutMs?: number): Promise<SandboxSms[]>;
  close(): Promise<void>;
};

export type TwilioSandboxOptions = { port?: number; accountSid?: string; authToken?: string };

const E164 = /^\+[1-9]\d{6,14}$/;

export async function startTwilioSandbox(options: TwilioSandboxOptions = {}): Promise<TwilioSandbox> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString("hex")}`;
  const authToken = options.authToken ?? randomBytes(16).toString("hex");
  const messages: SandboxSms[] = [];
  const faults = new Faults<TwilioFaultKind>();
  const listeners = new Set<() => void>();

  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, twilioError(20404, "The requested resource was not found", 404));
    if (req.method !== "POST") return sendJson(res, 405, twilioError(20004, "Method not allowed", 405));
    if (req.headers.authorization !== expectedAuth || decodeURIComponent(match[1]!) !== accountSid) {
      return sendJson(res, 401, twilioError(20003, "Authenticate", 401));
    }
    const fault = faults.next({ method: "POST", host: String(req.headers.host ?? ""), path: url.pathname });
    if (fault?.kind === "throttle") return sendJson(res, 429, twilioError(20429, "Too Many Requests", 429), { "retry-after": "1" });
    if (fault?.kind === "server_error") return sendJson(res, 500, twilioError(20500, "Internal Server Error", 500));

    const form = new URLSearchParams(await readBody(req));
    const to = form.get("To") ?? "";
    const from = form.get("From") ?? "";
    const body = form.get("Body") ?? "";
    if (fault?.kind === "invalid_number" || !E164.test(to)) return sendJson(res, 400, twilioError(21211, `The 'To' number ${to} is not a valid phone number.`, 400));
    if (!E164.test(from)) return sendJson(res, 400, twilioError(21212, `The 'From' number ${from} is not a valid phone number.`, 400));
    if (body.length === 0) return sendJson(res, 400, twilioError(21602, "Message body is required.", 400));
    if (body.length > 1600) return sendJson(res, 400, twilioError(21617, "The concatenated message body exceeds the 1600 character limit.", 400));

    const message: SandboxSms = { sid: `SM${randomBytes(16).toString("hex")}`, accountSid, to, from, body, status: "queued", dateCreated: new Date().toUTCString() };
    messages.push(message);
    for (const listener of listeners) listener();
    sendJson(res, 201, {
      sid: message.sid,
      account_sid: accountSid,
      to,
      from,
      body,
      status: "queued",
      num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
      date_created: message.dateCreated,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
    });
  }

  const server = await listen(handle, options.port ?? 0);

  return {
    origin: server.origin,
    port: server.port,
    accountSid,
    authToken,
    messages,
    faults,
    waitForMessages: (countOrPredicate, timeoutMs = 10_000) => waitFor(messages, listeners, countOrPredicate, timeoutMs),
    close: () => server.close(),
  };
}

function twilioError(code: number, message: string, status: number) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
