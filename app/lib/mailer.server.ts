import nodemailer from "nodemailer";
import { getEnv } from "#app/env.server.ts";
import { AppError } from "#app/lib/app-error.ts";

/**
 * Outgoing email over SMTP (nodemailer). One pooled transport per SMTP URL, reused by every send, so
 * a restock burst opens a handful of connections instead of one per message.
 *
 * Errors are classified for the outbox worker: a 5xx reply (unknown mailbox, message refused) will
 * not get better by retrying → `DeliveryError.permanent`; a 4xx reply (greylisting, mailbox busy) or a
 * lost/refused connection is temporary → retried with backoff.
 */

export type EmailAttachment = { filename: string; contentType: string; content: Buffer };

export type EmailMessage = {
  to: string;
  /** Defaults to MAIL_FROM. */
  from?: string;
  replyTo?: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
};

export type SentEmail = { messageId: string };

/** A failed delivery; `permanent` says whether retrying can help. Kind `invalid` (permanent) makes the queue stop retrying. */
export class DeliveryError extends AppError {
  readonly permanent: boolean;
  readonly providerCode: string | undefined;

  constructor(message: string, options: { permanent: boolean; providerCode?: string; retryAfterMs?: number; rateLimited?: boolean; cause?: unknown }) {
    super(options.rateLimited ? "rate_limited" : options.permanent ? "invalid" : "unavailable", message, {
      cause: options.cause,
      retryAfterMs: options.retryAfterMs,
    });
    this.name = "DeliveryError";
    this.permanent = options.permanent;
    this.providerCode = options.providerCode;
  }
}

export function isPermanentDeliveryError(error: unknown): boolean {
  return error instanceof DeliveryError && error.permanent;
}

// Socket-level codes nodemailer uses for "could not talk to the server": always worth another try.
const CONNECTION_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET", "EPROTOCOL", "ETLS"]);

/** Maps a nodemailer error to a DeliveryError (exported for tests). */
export function classifySmtpError(error: unknown): DeliveryError {
  const err = error as { message?: string; code?: string; responseCode?: number; response?: string };
  const message = String(err?.message ?? error);
  const responseCode = typeof err?.responseCode === "number" ? err.responseCode : undefined;
  if (responseCode !== undefined) {
    const permanent = responseCode >= 500;
    return new DeliveryError(`SMTP ${responseCode}: ${(err.response ?? message).trim()}`, { permanent, providerCode: String(responseCode), cause: error });
  }
  const code = err?.code;
  if (code && CONNECTION_CODES.has(code)) return new DeliveryError(`SMTP connection failed (${code}): ${message}`, { permanent: false, providerCode: code, cause: error });
  // Envelope/message errors (no recipients, a malformed address) are ours and will not fix themselves;
  // anything unknown is retried (bounded by the job's attempts) rather than dropped.
  const permanent = code === "EENVELOPE" || code === "EMESSAGE";
  return new DeliveryError(`SMTP error${code ? ` (${code})` : ""}: ${message}`, { permanent, providerCode: code, cause: error });
}

export type Mailer = {
  sendEmail(message: EmailMessage): Promise<SentEmail>;
  close(): void;
};

export type MailerOptions = {
  /** smtp://user:pass@host:port (smtps:// for implicit TLS). */
  smtpUrl: string;
  /** Default sender. */
  from: string;
  /** Parallel SMTP connections in the pool. */
  maxConnections?: number;
};

export function createMailer(options: MailerOptions): Mailer {
  const url = new URL(options.smtpUrl);
  const transport = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: 1_000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // Loopback servers (the demo mailbox, test sinks) offer no certificate worth checking.
    tls: isLoopback(url.hostname) ? { rejectUnauthorized: false } : undefined,
    ignoreTLS: isLoopback(url.hostname) && url.protocol === "smtp:",
  });

  return {
    async sendEmail(message) {
      try {
        const info = await transport.sendMail({
          from: message.from ?? options.from,
          to: message.to,
          replyTo: message.replyTo,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: message.headers,
          attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
        });
        return { messageId: String(info.messageId) };
      } catch (error) {
        throw classifySmtpError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host === "[::1]";
}

// The process-wide mailer for SMTP_URL / MAIL_FROM, created on first use.
let shared: { key: string; mailer: Mailer } | undefined;

export function getMailer(): Mailer {
  const env = getEnv();
  const key = `${env.SMTP_URL}\n${env.MAIL_FROM}`;
  if (!shared || shared.key !== key) {
    shared?.mailer.close();
    shared = { key, mailer: createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM }) };
  }
  return shared.mailer;
}

/** Sends one email through SMTP_URL. Throws DeliveryError (check `.permanent`). */
export function sendEmail(message: EmailMessage): Promise<SentEmail> {
  return getMailer().sendEmail(message);
}

/** Closes the shared transport's pooled connections (shutdown, end of a test file). */
export function closeMailer(): void {
  shared?.mailer.close();
  shared = undefined;
}
