import type { Job, Queue } from "bullmq";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { QUEUE_NAMES } from "#workers/queues.ts";

/** Polls until the job is completed or failed for good (retries pass through "delayed"/"waiting"). */
export async function waitForFinished(queue: Queue, id: string, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(id);
    const state = job ? await job.getState() : "missing";
    // Re-read: the copy fetched before the state check may predate the move to completed/failed.
    if (job && (state === "completed" || state === "failed")) return (await queue.getJob(id)) ?? job;
    if (Date.now() > deadline) throw new Error(`job ${queue.name}/${id} still ${state} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Deletes every key of every queue under this file's QUEUE_PREFIX. */
export async function obliterateAll(queues: QueueRegistry): Promise<void> {
  for (const name of QUEUE_NAMES) await queues.queue(name).obliterate({ force: true });
}
