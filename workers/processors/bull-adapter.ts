import { UnrecoverableError, Worker, type Job } from "bullmq";
import { ZodError } from "zod";
import { errorKind, errorRetryAfterMs } from "#app/lib/app-error.ts";
import { isJobName, parseJobData, type JobName, type QueueName } from "#workers/queues.ts";
import type { JobProcessor, ProcessorDeps, QueueProcessors } from "./deps.ts";

/**
 * Turns plain processors into a BullMQ processor and decides, from the error's kind, what a
 * failure means (ARCHITECTURE principle 8; bullmq "stop retrying jobs" and manual rate limits):
 * - invalid / not_found / forbidden / auth (and the domain's invalid_input / unprocessable):
 *   retrying cannot help → UnrecoverableError, the job fails now;
 * - rate_limited: the remote side asked us to wait → pause the whole queue for retryAfterMs and put
 *   the job back in the wait list (a rate limit does not spend one of the job's attempts);
 * - anything else (unavailable, conflict, unknown bugs): normal retry with exponential backoff.
 */

export const UNRECOVERABLE_KINDS: ReadonlySet<string> = new Set(["invalid", "not_found", "forbidden", "auth", "invalid_input", "unprocessable"]);

/** Used when a rate-limited error does not say how long to wait. */
export const DEFAULT_RATE_LIMIT_MS = 60_000;

export interface RateLimitControl {
  /** Pauses fetching on this queue (every worker) for `ms`: BullMQ's `worker.rateLimit`. */
  rateLimit(ms: number): Promise<void>;
}

export type ErrorDecision = "unrecoverable" | "rate_limited" | "retry";

export function classifyError(error: unknown): ErrorDecision {
  if (error instanceof ZodError) return "unrecoverable";
  const kind = errorKind(error);
  if (kind === "rate_limited") return "rate_limited";
  if (kind !== undefined && UNRECOVERABLE_KINDS.has(kind)) return "unrecoverable";
  return "retry";
}

/** The error to throw back to BullMQ for a processor's error (rate-limiting the queue first if asked). */
export async function mapProcessorError(error: unknown, control: RateLimitControl): Promise<Error> {
  const decision = classifyError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (decision === "unrecoverable") {
    const kind = error instanceof ZodError ? "invalid" : errorKind(error);
    return new UnrecoverableError(`${kind}: ${message}`);
  }
  if (decision === "rate_limited") {
    await control.rateLimit(errorRetryAfterMs(error) ?? DEFAULT_RATE_LIMIT_MS);
    return Worker.RateLimitError();
  }
  return error instanceof Error ? error : new Error(message);
}

/**
 * The BullMQ processor for one queue: looks the processor up by job name, parses the data with the
 * job's schema, runs it with a job-scoped logger, and maps its errors as described above.
 */
export function toBullProcessor<Q extends QueueName>(
  queue: Q,
  processors: QueueProcessors<Q>,
  deps: ProcessorDeps,
  control: RateLimitControl,
): (job: Job) => Promise<unknown> {
  return async (job) => {
    const log = deps.logger.child({ queue, jobName: job.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    if (!isJobName(queue, job.name)) throw new UnrecoverableError(`invalid: unknown job "${job.name}" on queue "${queue}"`);
    const name: JobName<Q> = job.name;
    const processor = processors[name] as JobProcessor<Q, JobName<Q>> | undefined;
    if (!processor) throw new UnrecoverableError(`invalid: no processor for ${queue}/${name} yet`);

    let data;
    try {
      data = parseJobData(queue, name, job.data);
    } catch (error) {
      log.error({ err: error }, "job data does not match its schema");
      throw await mapProcessorError(error, control);
    }

    try {
      return await processor(data, { ...deps, logger: log, reportProgress: (percent) => job.updateProgress(percent) });
    } catch (error) {
      const decision = classifyError(error);
      // The mapped error loses the original stack, so the original is logged here in full.
      if (decision === "retry") log.warn({ err: error }, "job failed, will retry");
      else if (decision === "rate_limited") log.info({ err: error, retryAfterMs: errorRetryAfterMs(error) }, "job rate limited");
      else log.error({ err: error }, "job failed, not retrying");
      throw await mapProcessorError(error, control);
    }
  };
}
