// Graceful shutdown: closing a worker (or sending SIGTERM to `npm run workers`) lets the job in
// progress finish and picks up nothing new.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, enqueue, getProducerQueues } from "#app/lib/queue.server.ts";
import { startWorkers } from "#workers/index.ts";
import { repoRoot } from "#tests/setup/infra.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop } from "#tests/factories/index.ts";
import { obliterateAll, sleep, waitForFinished, waitUntil } from "./helpers.ts";

const queues = getProducerQueues();
const children: ChildProcess[] = [];

beforeEach(async () => {
  await resetDatabase();
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  await obliterateAll(queues);
});

afterAll(async () => {
  await closeQueues();
});

describe("graceful shutdown", () => {
  it("close() waits for the job in progress and leaves the next one waiting", async () => {
    const events: string[] = [];
    const running = await startWorkers({
      syncSchedulers: false,
      processors: {
        // reports runs one job at a time, so the second job can only start after the first.
        reports: {
          "daily-snapshot": async ({ shopId }) => {
            events.push(`start ${shopId}`);
            await sleep(400);
            events.push(`end ${shopId}`);
            return "snapshot taken";
          },
        },
      },
    });
    const first = await enqueue("reports", "daily-snapshot", { shopId: "first" });
    await waitUntil(() => events.includes("start first"));
    const second = await enqueue("reports", "daily-snapshot", { shopId: "second" });

    await running.close();
    events.push("closed");

    expect(events).toEqual(["start first", "end first", "closed"]);
    expect(await (await queues.queue("reports").getJob(first))?.getState()).toBe("completed");
    expect(await (await queues.queue("reports").getJob(second))?.getState()).toBe("waiting");
  });

  it("`npm run workers` finishes the current job on SIGTERM and exits 0", async () => {
    const shop = await createShop();
    const event = await prisma.webhookEvent.create({
      data: { topic: "orders/create", shopDomain: shop.domain, shopId: shop.id, dedupeKey: "evt-sigterm", webhookId: "wh-sigterm", payload: {} },
    });
    const child = spawnWorkers({});
    await child.output.waitFor("job schedulers synced");

    // Hold a lock on the event row so the job is stuck mid-way (its first write waits for the lock)
    // while the process receives SIGTERM; release it and the job must still complete.
    let jobId = "";
    await prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "WebhookEvent" WHERE id = ${event.id} FOR UPDATE`;
        jobId = await enqueue("webhooks", "process-webhook", { webhookEventId: event.id });
        await waitUntil(async () => (await (await queues.queue("webhooks").getJob(jobId))?.getState()) === "active");
        child.process.kill("SIGTERM");
        await sleep(500);
        expect(child.process.exitCode).toBeNull(); // still waiting for the job
      },
      { timeout: 20_000 },
    );

    expect(await child.exited).toBe(0);
    expect(child.output.text()).toContain("workers closed");
    expect(await (await waitForFinished(queues.queue("webhooks"), jobId)).getState()).toBe("completed");
    expect(await prisma.webhookEvent.findUniqueOrThrow({ where: { id: event.id } })).toMatchObject({ status: "PROCESSED", attempts: 1 });
  });

  it("a malformed REDIS_URL stops the process with one line naming it", async () => {
    const child = spawnWorkers({ REDIS_URL: "localhost:6379" });
    expect(await child.exited).toBe(1);
    const lines = child.output.stderrText().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/REDIS_URL/);
  });
});

function spawnWorkers(env: Record<string, string>) {
  // Exactly what `npm run workers` runs: one Node process with tsx as an import hook.
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    process: child,
    exited,
    output: {
      text: () => stdout,
      stderrText: () => stderr,
      waitFor: (message: string) => waitUntil(() => stdout.includes(`"msg":"${message}"`) || child.exitCode !== null, 20_000),
    },
  };
}
