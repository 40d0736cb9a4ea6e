import type { IncomingHttpHeaders } from "node:http";
import type { AmazonSellerState } from "./state.ts";

// The shapes every Amazon sandbox route shares: what a route receives, what it answers, and SP-API's one
// error body ({"errors":[{code,message,details}]}), which amazon-sp-api turns into CustomError(code).

export type AmazonRequest = {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  state: AmazonSellerState;
};

export type AmazonReply = {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
};

export function spError(status: number, code: string, message: string, details = ""): AmazonReply {
  return { status, json: { errors: [{ code, message, details }] } };
}

export const invalidInput = (message: string) => spError(400, "InvalidInput", message);

export function parseJson(body: string): unknown {
  try {
    return body === "" ? undefined : (JSON.parse(body) as unknown);
  } catch {
    return undefined;
  }
}

/** Comma-separated query values, as amazon-sp-api serializes arrays (MarketplaceIds=A,B). */
export function list(query: URLSearchParams, name: string): string[] {
  return (query.get(name) ?? "").split(",").map((value) => value.trim()).filter(Boolean);
}

/** Opaque pagination tokens that are stateless and reusable (a retried page gets the same page). */
export function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as T;
  } catch {
    return undefined;
  }
}

export function isIsoDate(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}
