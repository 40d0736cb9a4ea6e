import { pino, type Logger } from "pino";

// Structured JSON logs on stdout. Level comes from LOG_LEVEL (read directly: the logger must work
// even while reporting that the environment itself is invalid).
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: process.env.REPLENISH_PROCESS ?? "web" },
  redact: { paths: ["*.accessToken", "*.password", "*.credentials", "*.secret", "*.token"], censor: "[redacted]" },
});
