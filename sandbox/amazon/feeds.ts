import { createHash, randomUUID } from "node:crypto";
import { applyListingPatches, type ListingIssue } from "./listings.ts";
import type { AmazonSellerState, Feed } from "./state.ts";
import { invalidInput, parseJson, spError, type AmazonReply, type AmazonRequest } from "./wire.ts";

// Feeds API 2021-06-30 for JSON_LISTINGS_FEED: create a document (→ presigned S3 URL), the client PUTs the
// feed there, creates the feed, polls getFeed until DONE, then downloads the processing report from the
// result document's URL. The S3-like host is served by the same sandbox (the LoopbackAgent sends every
// host here), routed by its Host header.

const S3_HOSTS: Record<string, string> = {
  na: "tortuga-prod-na.s3-external-1.amazonaws.com",
  eu: "tortuga-prod-eu.s3-eu-west-1.amazonaws.com",
  fe: "tortuga-prod-fe.s3-us-west-2.amazonaws.com",
};

export const isS3Host = (host: string) => host.endsWith(".amazonaws.com");

function presignedUrl(region: string, documentId: string): string {
  const signature = createHash("sha256").update(documentId).digest("hex");
  const host = S3_HOSTS[region] ?? S3_HOSTS.na;
  return `https://${host}/${encodeURIComponent(documentId)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${signature}`;
}

export function createFeedDocument(req: AmazonRequest, region: string): AmazonReply {
  const body = parseJson(req.body) as { contentType?: unknown } | undefined;
  if (!body || typeof body.contentType !== "string") return invalidInput("contentType is required.");
  const id = `amzn1.tortuga.4.na.${randomUUID()}`;
  req.state.documents.set(id, { id, contentType: body.contentType, content: null, kind: "input" });
  return { status: 201, json: { feedDocumentId: id, url: presignedUrl(region, id) } };
}

export function createFeed(req: AmazonRequest): AmazonReply {
  const { state } = req;
  const body = parseJson(req.body) as { feedType?: unknown; marketplaceIds?: unknown; inputFeedDocumentId?: unknown } | undefined;
  if (!body || typeof body.feedType !== "string" || !Array.isArray(body.marketplaceIds) || typeof body.inputFeedDocumentId !== "string") {
    return invalidInput("feedType, marketplaceIds and inputFeedDocumentId are required.");
  }
  if (body.feedType !== "JSON_LISTINGS_FEED") return invalidInput(`The sandbox only processes JSON_LISTINGS_FEED, not ${body.feedType}.`);
  const document = state.documents.get(body.inputFeedDocumentId);
  if (!document || document.content === null) return invalidInput("inputFeedDocumentId does not refer to an uploaded document.");
  const feedId = state.nextId("5");
  state.feeds.set(feedId, {
    feedId,
    feedType: body.feedType,
    marketplaceIds: body.marketplaceIds.map(String),
    inputFeedDocumentId: body.inputFeedDocumentId,
    createdTime: state.timestamp(),
    processingStatus: "IN_QUEUE",
    resultFeedDocumentId: null,
    pollsLeft: state.feedPollsBeforeDone,
  });
  return { status: 202, json: { feedId } };
}

export function getFeed(req: AmazonRequest, feedId: string): AmazonReply {
  const { state } = req;
  const feed = state.feeds.get(feedId);
  if (!feed) return spError(404, "NotFound", `Feed ${feedId} not found.`);
  if (feed.processingStatus === "IN_QUEUE" || feed.processingStatus === "IN_PROGRESS") {
    if (feed.pollsLeft > 0) {
      feed.pollsLeft -= 1;
      feed.processingStatus = "IN_PROGRESS";
    } else {
      processFeed(state, feed);
    }
  }
  return {
    status: 200,
    json: {
      feedId: feed.feedId,
      feedType: feed.feedType,
      marketplaceIds: feed.marketplaceIds,
      createdTime: feed.createdTime,
      processingStatus: feed.processingStatus,
      ...(feed.processingStatus === "DONE" || feed.processingStatus === "FATAL" ? { processingStartTime: feed.createdTime, processingEndTime: state.timestamp() } : {}),
      ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
    },
  };
}

type FeedMessage = { messageId?: unknown; sku?: unknown; operationType?: unknown; productType?: unknown; patches?: unknown };

function processFeed(state: AmazonSellerState, feed: Feed): void {
  const input = state.documents.get(feed.inputFeedDocumentId);
  const parsed = parseJson(input?.content ?? "") as { header?: { sellerId?: unknown }; messages?: unknown } | undefined;
  const issues: (ListingIssue & { messageId: number })[] = [];
  let processed = 0;
  let invalid = 0;
  if (!parsed || !Array.isArray(parsed.messages) || parsed.header?.sellerId !== state.sellerId) {
    feed.processingStatus = "FATAL";
    issues.push({ messageId: 0, code: "4000001", message: "The feed could not be parsed as a JSON_LISTINGS_FEED for this seller.", severity: "ERROR" });
  } else {
    for (const message of parsed.messages as FeedMessage[]) {
      const messageId = typeof message.messageId === "number" ? message.messageId : 0;
      processed += 1;
      const messageIssues =
        typeof message.sku !== "string" || message.operationType !== "PATCH"
          ? [{ code: "4000001", message: "Each message needs a sku and operationType PATCH.", severity: "ERROR" as const }]
          : applyListingPatches(state, message.sku, message.patches);
      if (messageIssues.length > 0) invalid += 1;
      issues.push(...messageIssues.map((issue) => ({ messageId, ...issue })));
    }
    feed.processingStatus = "DONE";
  }
  const report = {
    header: { sellerId: state.sellerId, version: "2.0", feedId: feed.feedId },
    issues,
    summary: { errors: issues.filter((i) => i.severity === "ERROR").length, warnings: 0, messagesProcessed: processed, messagesAccepted: processed - invalid, messagesInvalid: invalid },
  };
  const resultId = `amzn1.tortuga.4.na.${randomUUID()}`;
  state.documents.set(resultId, { id: resultId, contentType: "application/json", content: JSON.stringify(report), kind: "result" });
  feed.resultFeedDocumentId = resultId;
}

export function getFeedDocument(req: AmazonRequest, documentId: string, region: string): AmazonReply {
  const document = req.state.documents.get(documentId);
  if (!document) return spError(404, "NotFound", `Feed document ${documentId} not found.`);
  return { status: 200, json: { feedDocumentId: document.id, url: presignedUrl(region, document.id) } };
}

/** The S3 side: PUT stores an upload, GET serves a document. Errors are S3's XML. */
export function s3Object(req: AmazonRequest): AmazonReply {
  const id = decodeURIComponent(req.path.slice(1));
  const document = req.state.documents.get(id);
  if (!document) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
  if (req.method === "PUT") {
    if (document.kind !== "input") return s3Error(403, "AccessDenied", "Access Denied");
    document.content = req.body;
    return { status: 200, text: "", contentType: "text/plain", headers: { etag: `"${createHash("md5").update(req.body).digest("hex")}"` } };
  }
  if (req.method === "GET") {
    if (document.content === null) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
    return { status: 200, text: document.content, contentType: document.contentType };
  }
  return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}

function s3Error(status: number, code: string, message: string): AmazonReply {
  return { status, contentType: "application/xml", text: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>` };
}
