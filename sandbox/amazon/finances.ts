import type { AmazonRefundEvent } from "./state.ts";
import { decodeToken, encodeToken, invalidInput, isIsoDate, spError, type AmazonReply, type AmazonRequest } from "./wire.ts";

// Finances API v0: listFinancialEvents (PostedAfter/PostedBefore, MaxResultsPerPage, NextToken) and
// listFinancialEventsByOrderId. Only refunds are simulated (RefundEventList); the other event lists are
// present and empty, as Amazon sends them when an order has none.
//
// Amazon's documented date rules are enforced because the adapter must live with them: PostedAfter and
// PostedBefore must be at least two minutes before the request, and PostedBefore defaults to two minutes
// ago, so an event is listed by date only once it is two minutes old (listFinancialEventsByOrderId takes
// no dates and lists all of an order's events).

const TWO_MINUTES = 120_000;
type EventsToken = { f: { after: string; before: string; order: string | null; size: number }; o: number };

function financialEvents(refunds: AmazonRefundEvent[]) {
  return { ShipmentEventList: [], RefundEventList: refunds, GuaranteeClaimEventList: [], ChargebackEventList: [], AdjustmentEventList: [] };
}

function page(req: AmazonRequest, token: EventsToken): AmazonReply {
  const { f } = token;
  const after = Date.parse(f.after);
  const before = Date.parse(f.before);
  const matching = req.state.refundEvents
    .filter((event) => f.order === null || event.AmazonOrderId === f.order)
    .filter((event) => Date.parse(event.PostedDate) >= after && Date.parse(event.PostedDate) <= before)
    .sort((a, b) => Date.parse(a.PostedDate) - Date.parse(b.PostedDate));
  const slice = matching.slice(token.o, token.o + f.size);
  const payload: Record<string, unknown> = { FinancialEvents: financialEvents(slice) };
  if (token.o + f.size < matching.length) payload.NextToken = encodeToken({ f, o: token.o + f.size } satisfies EventsToken);
  return { status: 200, json: { payload } };
}

function firstToken(req: AmazonRequest, order: string | null): EventsToken | AmazonReply {
  const { query, state } = req;
  const nextToken = query.get("NextToken");
  if (nextToken) {
    const token = decodeToken<EventsToken>(nextToken);
    return token && token.f.order === order ? token : invalidInput("Invalid NextToken.");
  }
  const size = Number(query.get("MaxResultsPerPage") ?? 100);
  if (!Number.isInteger(size) || size < 1 || size > 100) return invalidInput("MaxResultsPerPage must be between 1 and 100.");
  // listFinancialEventsByOrderId takes no dates: every event of the order, whenever posted.
  if (order !== null) return { f: { after: new Date(0).toISOString(), before: "9999-12-31T23:59:59.000Z", order, size: Math.min(size, state.financialEventsPageSize) }, o: 0 };
  const latest = state.now() - TWO_MINUTES;
  const postedAfter = query.get("PostedAfter");
  const postedBefore = query.get("PostedBefore");
  if (postedAfter === null) return invalidInput("PostedAfter is required when no NextToken is given.");
  if (postedAfter !== null && !isIsoDate(postedAfter)) return invalidInput(`Invalid PostedAfter: ${postedAfter}`);
  if (postedBefore !== null && !isIsoDate(postedBefore)) return invalidInput(`Invalid PostedBefore: ${postedBefore}`);
  if (postedAfter !== null && Date.parse(postedAfter) > latest) return invalidInput("PostedAfter must be no later than two minutes before the request was submitted.");
  if (postedBefore !== null && Date.parse(postedBefore) > latest) return invalidInput("PostedBefore must be no later than two minutes before the request was submitted.");
  const after = postedAfter !== null ? new Date(postedAfter).toISOString() : new Date(0).toISOString();
  const before = postedBefore !== null ? new Date(postedBefore).toISOString() : new Date(latest).toISOString();
  if (Date.parse(before) < Date.parse(after)) return invalidInput("PostedBefore must be later than PostedAfter.");
  return { f: { after, before, order, size: Math.min(size, state.financialEventsPageSize) }, o: 0 };
}

export function listFinancialEvents(req: AmazonRequest): AmazonReply {
  const token = firstToken(req, null);
  return "status" in token ? token : page(req, token);
}

export function listFinancialEventsByOrderId(req: AmazonRequest, orderId: string): AmazonReply {
  if (!req.state.orders.has(orderId)) return spError(404, "NotFound", `Order ${orderId} not found.`);
  const token = firstToken(req, orderId);
  return "status" in token ? token : page(req, token);
}
