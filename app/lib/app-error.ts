/**
 * The one error type services, models and channel adapters throw (ARCHITECTURE principle 8).
 * The kind says what went wrong; the edge decides what it means: routes map it to an HTTP status,
 * workers map it to "retry later", "rate-limit the queue" or "never retry".
 */
export const APP_ERROR_KINDS = ["not_found", "invalid", "conflict", "forbidden", "rate_limited", "unavailable", "auth"] as const;

export type AppErrorKind = (typeof APP_ERROR_KINDS)[number];

export interface AppErrorOptions {
  /** For `rate_limited` (and optionally `unavailable`): how long the remote side asked us to wait. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly kind: AppErrorKind;
  readonly retryAfterMs: number | undefined;

  constructor(kind: AppErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * The kind carried by any error that has one: AppError, the channel adapters' ChannelError and the
 * domain's DomainError all expose `kind`, so the edges classify by shape instead of by class.
 */
export function errorKind(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("kind" in error)) return undefined;
  const kind = (error as { kind: unknown }).kind;
  return typeof kind === "string" ? kind : undefined;
}

/** `retryAfterMs` from any error that carries one, if it is a usable positive number. */
export function errorRetryAfterMs(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("retryAfterMs" in error)) return undefined;
  const value = (error as { retryAfterMs: unknown }).retryAfterMs;
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
