import { execute, parse, validate, type GraphQLSchema } from "graphql";
import { gid, numericId, shopifyTime } from "./ids.ts";
import type { ShopifyStore } from "./store.ts";
import { Views } from "./views.ts";

// Bulk query operations: bulkOperationRunQuery runs an inner query with no page limits; the result is a
// JSONL file where every node of a nested connection is its own line carrying `__parentId`. Without
// groupObjects (the default) Shopify does not promise any order, so a child may come before its parent:
// the sandbox shuffles the lines (deterministically per operation) to keep readers honest.

type BulkRecord = {
  id: number;
  query: string;
  groupObjects: boolean;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  createdAt: number;
  completedAt: number | null;
  completeAt: number;
  jsonl: string | null;
  objectCount: number;
  rootObjectCount: number;
};

export class BulkOperations {
  private readonly operations = new Map<number, BulkRecord>();
  private nextId = 1;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly store: ShopifyStore,
    private readonly origin: () => string,
    /** How long an operation stays RUNNING (polling is part of the protocol). */
    private readonly runningMs: number,
  ) {}

  resolvers() {
    return {
      bulkOperationRunQuery: (args: { query: string; groupObjects: boolean }) => this.run(args.query, args.groupObjects),
      bulkOperation: (args: { id: string }) => {
        const record = this.operations.get(numericId(args.id) ?? -1);
        return record ? this.view(record) : null;
      },
      currentBulkOperation: () => {
        const last = [...this.operations.values()].at(-1);
        return last ? this.view(last) : null;
      },
    };
  }

  /** The JSONL body for GET /bulk/:id.jsonl, or null when there is no finished file. */
  file(id: number): string | null {
    const record = this.operations.get(id);
    if (!record) return null;
    this.advance(record);
    return record.jsonl;
  }

  private run(query: string, groupObjects: boolean) {
    const running = [...this.operations.values()].find((record) => (this.advance(record), record.status === "RUNNING" || record.status === "CREATED"));
    if (running) {
      return { bulkOperation: null, userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running.id)}.`, code: "OPERATION_IN_PROGRESS" }] };
    }
    let problems: string[];
    try {
      const document = parse(query);
      problems = validate(this.schema, document).map((error) => error.message);
      const root = document.definitions[0];
      if (root?.kind === "OperationDefinition" && root.operation !== "query") problems.push("Bulk queries must be queries.");
    } catch (error) {
      problems = [error instanceof Error ? error.message : String(error)];
    }
    if (problems.length > 0) {
      return { bulkOperation: null, userErrors: [{ field: ["query"], message: `Invalid bulk query: ${problems.join(" ")}`, code: "INVALID" }] };
    }
    const now = this.store.now();
    const record: BulkRecord = { id: this.nextId++, query, groupObjects, status: "CREATED", createdAt: now, completedAt: null, completeAt: Date.now() + this.runningMs, jsonl: null, objectCount: 0, rootObjectCount: 0 };
    this.operations.set(record.id, record);
    return { bulkOperation: this.view(record), userErrors: [] };
  }

  /** CREATED → RUNNING on first look, COMPLETED once its time has come (the file is written then). */
  private advance(record: BulkRecord): void {
    if (record.status === "CREATED") record.status = "RUNNING";
    if (record.status !== "RUNNING" || Date.now() < record.completeAt) return;
    const result = execute({ schema: this.schema, document: parse(record.query), rootValue: new Views(this.store, true).queryRoot() });
    if ("then" in result || result.errors?.length) {
      record.status = "FAILED";
      return;
    }
    const lines: Array<Record<string, unknown>> = [];
    let roots = 0;
    for (const value of Object.values(result.data ?? {})) {
      for (const node of connectionNodes(value) ?? []) {
        roots++;
        flatten(node, null, lines);
      }
    }
    const ordered = record.groupObjects ? lines : shuffle(lines, record.id);
    record.jsonl = ordered.map((line) => JSON.stringify(line)).join("\n") + (ordered.length > 0 ? "\n" : "");
    record.objectCount = lines.length;
    record.rootObjectCount = roots;
    record.status = "COMPLETED";
    record.completedAt = this.store.now();
  }

  private view(record: BulkRecord) {
    this.advance(record);
    const done = record.status === "COMPLETED";
    return {
      id: gid("BulkOperation", record.id),
      status: record.status,
      type: "QUERY",
      query: record.query,
      errorCode: record.status === "FAILED" ? "INTERNAL_SERVER_ERROR" : null,
      createdAt: shopifyTime(record.createdAt),
      completedAt: record.completedAt === null ? null : shopifyTime(record.completedAt),
      objectCount: String(record.objectCount),
      rootObjectCount: String(record.rootObjectCount),
      fileSize: done && record.jsonl ? String(Buffer.byteLength(record.jsonl)) : null,
      // Shopify answers url null when the query matched nothing.
      url: done && record.objectCount > 0 ? `${this.origin()}/bulk/${record.id}.jsonl` : null,
      partialDataUrl: null,
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The nodes of a connection value ({edges:[{node}]} or {nodes:[…]}), or null when it is not one. */
function connectionNodes(value: unknown): Array<Record<string, unknown>> | null {
  if (!isRecord(value) || !Object.keys(value).every((key) => key === "edges" || key === "nodes" || key === "pageInfo")) return null;
  if (Array.isArray(value.nodes)) return value.nodes.filter(isRecord);
  if (Array.isArray(value.edges)) return value.edges.map((edge) => (isRecord(edge) ? edge.node : null)).filter(isRecord);
  return null;
}

/** One line per node; nested connections (at any depth of plain objects) become child lines. */
function flatten(node: Record<string, unknown>, parentId: string | null, lines: Array<Record<string, unknown>>): void {
  const children: Array<Record<string, unknown>> = [];
  const strip = (object: Record<string, unknown>): Record<string, unknown> => {
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const nested = connectionNodes(value);
      if (nested) children.push(...nested);
      else own[key] = isRecord(value) ? strip(value) : value;
    }
    return own;
  };
  const line = strip(node);
  if (parentId !== null) line.__parentId = parentId;
  lines.push(line);
  const id = typeof node.id === "string" ? node.id : parentId;
  for (const child of children) flatten(child, id, lines);
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1664525 + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
