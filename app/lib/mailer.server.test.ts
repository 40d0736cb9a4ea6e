import { describe, expect, it } from "vitest";
import { classifySmtpError, createMailer } from "./mailer.server.ts";

describe("classifySmtpError", () => {
  it("makes 5xx replies permanent and 4xx replies retryable", () => {
    expect(classifySmtpError(Object.assign(new Error("Recipient command failed"), { responseCode: 550, response: "550 5.1.1 No such user" }))).toMatchObject({
      permanent: true,
      kind: "invalid",
      message: "SMTP 550: 550 5.1.1 No such user",
    });
    expect(classifySmtpError(Object.assign(new Error("x"), { responseCode: 451, response: "451 4.3.0 Try later" }))).toMatchObject({ permanent: false, kind: "unavailable" });
  });

  it("retries connection trouble and unknown errors, not malformed envelopes", () => {
    expect(classifySmtpError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNECTION" }))).toMatchObject({ permanent: false });
    expect(classifySmtpError(new Error("something odd"))).toMatchObject({ permanent: false });
    expect(classifySmtpError(Object.assign(new Error("No recipients defined"), { code: "EENVELOPE" }))).toMatchObject({ permanent: true });
  });

  it("reports a refused connection as retryable when sending", async () => {
    const mailer = createMailer({ smtpUrl: "smtp://127.0.0.1:1", from: "a@example.test" });
    try {
      await expect(mailer.sendEmail({ to: "b@example.test", subject: "s", text: "t" })).rejects.toMatchObject({ permanent: false, kind: "unavailable" });
    } finally {
      mailer.close();
    }
  });
});
