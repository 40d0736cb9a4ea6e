// The demo's mailbox page (scripts/demo/mailbox.ts) as a newcomer opens it from the start-up output:
// an email sent to its SMTP server is listed and opens with its text, and the browser records no
// console error or failed request (a page without an icon made Chromium log a 404 for /favicon.ico).
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestBrowserForFile } from "#tests/support/browser.ts";
import { startDemoMailbox, type DemoMailbox } from "../../scripts/demo/mailbox.ts";

let mailbox: DemoMailbox;
const { page, problems } = await openTestBrowserForFile();

beforeAll(async () => {
  mailbox = await startDemoMailbox();
});

afterAll(async () => {
  await mailbox?.close();
});

describe("demo mailbox page", () => {
  it("lists a received email and opens it, with a clean console", async () => {
    const transport = nodemailer.createTransport(mailbox.env.SMTP_URL!);
    await transport.sendMail({ from: mailbox.env.MAIL_FROM, to: "shopper@example.test", subject: "Back in stock: Jumbo Bag Owls", text: "Good news: it is back." });
    transport.close();

    await page.goto(mailbox.url, { waitUntil: "networkidle" });
    await expect(page.getByRole("heading", { name: "Emails (1)" }).isVisible()).resolves.toBe(true);
    await page.getByRole("link", { name: "Back in stock: Jumbo Bag Owls" }).click();
    await page.waitForURL(`${mailbox.url}/messages/0`);
    await expect(page.locator("pre").textContent()).resolves.toContain("Good news: it is back.");
    expect(problems).toEqual([]);
  });
});
