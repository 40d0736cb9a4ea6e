import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, expect } from "vitest";
import { repoRoot } from "#tests/setup/infra.ts";

/** Where browser tests save their screenshots (git-ignored). */
export const testResultsDir = join(repoRoot, "test-results");

export type TestBrowser = {
  context: BrowserContext;
  page: Page;
  /** Everything a merchant could see go wrong (or not see): the tests fail on any entry. */
  problems: string[];
  close(): Promise<void>;
};

/**
 * Debian's Chromium, headless, in a fresh profile so nothing cached from an earlier run can hide a
 * failing request. The flags keep Chromium from calling home on a machine with no network.
 */
function isRemixPrefetch(url: string): boolean {
  const { pathname } = new URL(url);
  return pathname === "/__manifest" || pathname.endsWith(".data");
}

/** Chromium fetches the icon after the page and drops the fetch when the test navigates on: not a failure. */
function isAbortedIcon(url: string): boolean {
  return /^\/favicon\.(svg|ico|png)$/.test(new URL(url).pathname);
}

export async function openTestBrowser(): Promise<TestBrowser> {
  const profileDir = await mkdtemp(join(tmpdir(), "replenish-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    // Remix fetches route manifests and loader data ahead of time and cancels them when the user has
    // already navigated on: the browser's own cancellation, not a failure anyone sees. Everything
    // else that fails (refused, reset, 4xx/5xx below) is recorded.
    if (reason === "net::ERR_ABORTED" && (isRemixPrefetch(request.url()) || isAbortedIcon(request.url()))) return;
    problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * The browser of one test file: opened now (call it at the file's top level,
 * `const { page, problems } = await openTestBrowserForFile();`), closed after the file's last test,
 * with test-results/ ready for screenshots.
 */
export async function openTestBrowserForFile(): Promise<TestBrowser> {
  await mkdir(testResultsDir, { recursive: true });
  const browser = await openTestBrowser();
  afterAll(() => browser.close());
  return browser;
}

/**
 * A refused save answers 422, which the browser reports twice (the response and a console error): the
 * expected outcome, not a problem. Asserts there was at least one, that nothing else went wrong, and
 * clears `problems` for the rest of the test.
 */
export function expectOnlyRefusals(problems: string[]): void {
  const refused = problems.filter((p) => /\b422\b/.test(p));
  expect(refused.length).toBeGreaterThan(0);
  expect(problems.filter((p) => !refused.includes(p))).toEqual([]);
  problems.length = 0;
}
