import type { IncomingMessage, ServerResponse } from "node:http";
import { escapeHtml } from "../../app/domain/back-in-stock/messages.ts";
import { listen, sendText, type RunningServer } from "../../sandbox/shared/http-server.ts";
import { startSmtpSink, type SmtpSink } from "../../sandbox/smtp/index.ts";
import { startTwilioSandbox, type TwilioSandbox } from "../../sandbox/twilio/index.ts";

// The demo's outbox, made visible: a real SMTP server (smtp-server) and the Twilio-compatible SMS fake
// receive everything the demo sends (restock alerts, PO emails to suppliers, digests), and a small web
// page lists it: every email with its HTML, text and attachments, and every text message.

export type DemoMailbox = {
  url: string;
  /** Environment for the app: where it sends email and SMS. */
  env: Record<string, string>;
  sink: SmtpSink;
  sms: TwilioSandbox;
  close(): Promise<void>;
};

export async function startDemoMailbox(): Promise<DemoMailbox> {
  const sink = await startSmtpSink();
  const sms = await startTwilioSandbox();
  const server: RunningServer = await listen((req, res) => handle(req, res, sink, sms));
  return {
    url: server.origin,
    env: { SMTP_URL: sink.url, MAIL_FROM: "Replenish demo <no-reply@demo-shop.test>", TWILIO_API_BASE: sms.origin, TWILIO_ACCOUNT_SID: sms.accountSid, TWILIO_AUTH_TOKEN: sms.authToken },
    sink,
    sms,
    close: async () => {
      await server.close();
      await sink.close();
      await sms.close();
    },
  };
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#1a1a1a;color:#fff;padding:12px 20px}
main{padding:16px 20px;max-width:1100px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;font-size:14px;vertical-align:top}
a{color:#0b57d0}iframe{width:100%;height:70vh;border:1px solid #ddd;border-radius:6px}pre{white-space:pre-wrap;background:#f6f6f6;padding:12px;border-radius:6px}.muted{color:#666}`;

function page(title: string, body: string, refresh = false): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title>${refresh ? '<meta http-equiv="refresh" content="5">' : ""}<style>${STYLE}</style></head><body><header><strong>Demo mailbox</strong> — everything the demo sends, received by a local SMTP server and SMS API</header><main>${body}</main></body></html>`;
}

function handle(req: IncomingMessage, res: ServerResponse, sink: SmtpSink, sms: TwilioSandbox): void {
  const url = new URL(req.url ?? "/", "http://mailbox");
  const message = /^\/messages\/(\d+)(?:\/attachments\/(\d+))?$/.exec(url.pathname);
  if (url.pathname === "/") {
    const rows = sink.messages
      .map((m, i) => ({ m, i }))
      .reverse()
      .map(({ m, i }) => `<tr><td class="muted">${m.receivedAt.toISOString().replace("T", " ").slice(0, 19)}</td><td>${escapeHtml(m.envelopeTo.join(", "))}</td><td><a href="/messages/${i}">${escapeHtml(m.subject || "(no subject)")}</a></td><td>${m.attachments.length ? `${m.attachments.length} 📎` : ""}</td></tr>`)
      .join("");
    const texts = [...sms.messages]
      .reverse()
      .map((s) => `<tr><td class="muted">${escapeHtml(s.dateCreated)}</td><td>${escapeHtml(s.to)}</td><td>${escapeHtml(s.body)}</td></tr>`)
      .join("");
    return sendText(
      res,
      200,
      page(
        "Demo mailbox",
        `<h1>Emails (${sink.messages.length})</h1>${rows ? `<table><tr><th>Received</th><th>To</th><th>Subject</th><th></th></tr>${rows}</table>` : '<p class="muted">Nothing yet. Subscribe on the demo storefront and restock the variant, or send a PO.</p>'}
        <h1>Text messages (${sms.messages.length})</h1>${texts ? `<table><tr><th>Sent</th><th>To</th><th>Message</th></tr>${texts}</table>` : '<p class="muted">None yet.</p>'}`,
        true,
      ),
      "text/html; charset=utf-8",
    );
  }
  if (message) {
    const m = sink.messages[Number(message[1])];
    if (!m) return sendText(res, 404, "No such message", "text/plain");
    if (message[2] !== undefined) {
      const attachment = m.attachments[Number(message[2])];
      if (!attachment) return sendText(res, 404, "No such attachment", "text/plain");
      res.writeHead(200, { "content-type": attachment.contentType, "content-disposition": `attachment; filename="${(attachment.filename ?? "attachment").replace(/"/g, "")}"` });
      res.end(attachment.content);
      return;
    }
    const attachments = m.attachments.map((a, i) => `<li><a href="/messages/${message[1]}/attachments/${i}">${escapeHtml(a.filename ?? "attachment")}</a> <span class="muted">${escapeHtml(a.contentType)}, ${a.content.length} bytes</span></li>`).join("");
    return sendText(
      res,
      200,
      page(
        m.subject,
        `<p><a href="/">← All messages</a></p><h1>${escapeHtml(m.subject || "(no subject)")}</h1>
        <p><strong>From</strong> ${escapeHtml(m.parsed?.from?.text ?? m.envelopeFrom)} · <strong>To</strong> ${escapeHtml(m.envelopeTo.join(", "))} · <span class="muted">${m.receivedAt.toISOString()}</span></p>
        ${attachments ? `<ul>${attachments}</ul>` : ""}
        ${m.html ? `<iframe sandbox="" srcdoc="${escapeHtml(m.html)}" title="HTML version"></iframe>` : ""}
        <h2>Text version</h2><pre>${escapeHtml(m.text)}</pre>`,
      ),
      "text/html; charset=utf-8",
    );
  }
  sendText(res, 404, "Not found", "text/plain");
}
