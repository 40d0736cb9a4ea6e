/**
 * The domain's one error type. Kinds mirror the app-wide AppError kinds so the edge (route or worker) maps
 * them to HTTP statuses or retry decisions without string matching.
 */
export type DomainErrorKind = "invalid_input" | "not_found" | "conflict" | "unprocessable";

export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(kind: DomainErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.details = details;
  }
}

export function invalidInput(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError("invalid_input", message, details);
}
