import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { waitFor } from "#sandbox/shared/wait-for.ts";

// A real SMTP server (the `smtp-server` package) in the calling process, on a loopback port: the app
// sends to it exactly as it would to a provider, and tests and the demo's mailbox page read what
// arrived, parsed with `mailparser` (headers, text, html, attachments).

export type SinkMessage = {
  /** Envelope, as the client gave it (MAIL FROM / RCPT TO). */
  envelopeFrom: string;
  envelopeTo: string[];
  receivedAt: Date;
  raw: Buffer;
  /** Undefined when the sink was started with `parse: false` (the bench counts, it does not read). */
  parsed: ParsedMail | undefined;
  subject: string;
  text: string;
  html: string | undefined;
  attachments: { filename: string | undefined; contentType: string; content: Buffer }[];
};

export type SmtpSinkOptions = {
  port?: number;
  /** Parse every message with mailparser (default true). */
  parse?: boolean;
  /**
   * Refuse a recipient with an SMTP reply, e.g. `(to) => to.endsWith("@bounce.test") ? { code: 550, message: "No such user" } : undefined`.
   * Codes 4xx are temporary, 5xx permanent, as on a real server.
   */
  rejectRecipient?: (address: string) => { code: number; message: string } | undefined;
};

export type SmtpSink = {
  port: number;
  host: string;
  /** smtp://127.0.0.1:<port>, ready for SMTP_URL. */
  url: string;
  messages: SinkMessage[];
  /** How many messages arrived (cheaper than `messages.length` readers polling in a loop: same thing). */
  readonly count: number;
  waitForMessages(countOrPredicate: number | ((messages: SinkMessage[]) => boolean), timeoutMs?: number): Promise<SinkMessage[]>;
  /** Forget the messages received so far. */
  clear(): void;
  close(): Promise<void>;
};

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const listeners = new Set<() => void>();
  const parse = options.parse ?? true;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 25 * 1024 * 1024,
    // Many parallel pooled connections from the bench are fine on loopback.
    maxClients: 200,
    // Senders keep pooled connections open; on close() the server waits this long for them (smtp-server's
    // default is 30 s, which kept the demo's Ctrl+C waiting ~26 s after every other part had stopped).
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      const refusal = options.rejectRecipient?.(address.address);
      if (!refusal) return callback();
      const error = new Error(refusal.message) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => callback(error));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        const store = (parsed: ParsedMail | undefined) => {
          messages.push({
            envelopeFrom,
            envelopeTo,
            receivedAt: new Date(),
            raw,
            parsed,
            subject: parsed?.subject ?? "",
            text: parsed?.text ?? "",
            html: typeof parsed?.html === "string" ? parsed.html : undefined,
            attachments: (parsed?.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
          });
          for (const listener of listeners) listener();
        };
        if (!parse) {
          store(undefined);
          callback();
          return;
        }
        simpleParser(raw).then(
          (parsed) => {
            store(parsed);
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  // A client dropping its connection mid-session is the client's problem, not a crash here.
  server.on("error", () => {});

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    host: "127.0.0.1",
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get count() {
      return messages.length;
    },
    waitForMessages: (countOrPredicate, timeoutMs = 10_000) => waitFor(messages, listeners, countOrPredicate, timeoutMs),
    clear: () => {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
