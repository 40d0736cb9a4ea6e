import type { z } from "zod";

/** "line_items.0.quantity: expected number, received string; …", at most five. */
export function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`);
  return issues.join("; ") + (error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : "");
}
