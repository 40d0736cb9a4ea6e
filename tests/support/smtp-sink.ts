// The in-process SMTP server tests send real email to. It lives in sandbox/smtp so the demo's mailbox
// page uses the same server; tests import it from here.
export { startSmtpSink, type SinkMessage, type SmtpSink, type SmtpSinkOptions } from "#sandbox/smtp/index.ts";
