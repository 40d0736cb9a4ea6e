import type { IncomingHttpHeaders } from "node:http";
import type { EbaySellerState } from "./state.ts";

// Shapes shared by the eBay sandbox routes, and eBay's REST error body
// {"errors":[{errorId,domain,category,message,longMessage,parameters?}]}, which ebay-api turns into
// EBayApiError (EBayInvalidAccessToken for "Invalid access token", EBayAccessDenied for domain ACCESS).

export type EbayRequest = {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  state: EbaySellerState;
};

export type EbayReply = { status: number; json?: unknown; headers?: Record<string, string> };

export type EbayErrorDetail = {
  errorId: number;
  domain: string;
  category: "REQUEST" | "APPLICATION" | "BUSINESS";
  message: string;
  longMessage?: string;
  subdomain?: string;
  parameters?: { name: string; value: string }[];
};

export function ebayError(status: number, detail: EbayErrorDetail): EbayReply {
  return { status, json: { errors: [detail] } };
}

export const INVALID_ACCESS_TOKEN: EbayErrorDetail = {
  errorId: 1001,
  domain: "OAuth",
  category: "REQUEST",
  message: "Invalid access token",
  longMessage: "Invalid access token. Check the value of the Authorization HTTP request header.",
};

export function parseJson(body: string): unknown {
  try {
    return body === "" ? undefined : (JSON.parse(body) as unknown);
  } catch {
    return undefined;
  }
}

export function inventoryError(status: number, errorId: number, message: string, parameters?: { name: string; value: string }[]): EbayReply {
  return ebayError(status, { errorId, domain: "API_INVENTORY", subdomain: "Selling", category: "REQUEST", message, ...(parameters ? { parameters } : {}) });
}
