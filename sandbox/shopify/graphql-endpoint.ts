import {
  execute,
  GraphQLError,
  Kind,
  parse,
  print,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { actualQueryCost, requestedQueryCost, SINGLE_QUERY_MAX_COST } from "./cost.ts";
import { RequestLevelError } from "./inventory-mutations.ts";
import type { LeakyBucket, QueryCostExtension } from "./throttle.ts";

// POST /admin/api/:version/graphql.json after authentication: parse, validate against the real schema,
// price the query, admit it through the leaky bucket, execute, and answer in Shopify's shapes. GraphQL
// failures are HTTP 200 with `errors`, which the client turns into GraphqlQueryError.

export type GraphqlBody = { query?: unknown; variables?: unknown; operationName?: unknown };
export type GraphqlReply = { status: number; body: unknown; operationName: string | null; throttled: boolean; cost: QueryCostExtension | null };
type ShopifyError = { message: string; locations?: ReadonlyArray<{ line: number; column: number }>; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> };

export type EndpointDeps = {
  schema: GraphQLSchema;
  rootValue: Record<string, unknown>;
  bucket: LeakyBucket;
  /** A forced THROTTLED answer (fault injection) instead of asking the bucket. */
  forceThrottle: () => boolean;
};

const documentsBySchema = new WeakMap<GraphQLSchema, Map<string, DocumentNode | readonly GraphQLError[]>>();

/** Parsing and validating the same operation text again is wasted work: cache per schema and text. */
function parseAndValidate(schema: GraphQLSchema, query: string): DocumentNode | readonly GraphQLError[] {
  let documents = documentsBySchema.get(schema);
  if (!documents) documentsBySchema.set(schema, (documents = new Map()));
  const cached = documents.get(query);
  if (cached) return cached;
  let result: DocumentNode | readonly GraphQLError[];
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    result = errors.length > 0 ? errors : document;
  } catch (error) {
    result = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
  }
  if (documents.size > 500) documents.clear();
  documents.set(query, result);
  return result;
}

export function handleGraphql(deps: EndpointDeps, body: GraphqlBody): GraphqlReply {
  const reply = (status: number, payload: unknown, extra: Partial<GraphqlReply> = {}): GraphqlReply => ({ status, body: payload, operationName: null, throttled: false, cost: null, ...extra });
  if (typeof body.query !== "string" || body.query.trim() === "") {
    return reply(400, { errors: { query: "Required parameter missing or invalid" } });
  }
  const variables = (typeof body.variables === "object" && body.variables !== null ? body.variables : {}) as Record<string, unknown>;
  const parsed = parseAndValidate(deps.schema, body.query);
  if (!("kind" in parsed)) return reply(200, { errors: parsed.map(toShopifyValidationError) });

  const operations = parsed.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = typeof body.operationName === "string" ? operations.find((o) => o.name?.value === body.operationName) : operations[0];
  if (!operation || (operations.length > 1 && typeof body.operationName !== "string")) {
    return reply(200, { errors: [{ message: "An operation name is required when the document has more than one operation.", extensions: { code: "BAD_REQUEST" } }] });
  }
  const operationName = operation.name?.value ?? null;
  const fragments = Object.fromEntries(
    parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );

  const requested = requestedQueryCost(deps.schema, operation, fragments, variables);
  if (requested > SINGLE_QUERY_MAX_COST) {
    return reply(200, {
      errors: [
        {
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST },
        },
      ],
    }, { operationName });
  }

  const forced = deps.forceThrottle();
  if (forced || !deps.bucket.take(requested)) {
    const status = deps.bucket.status();
    // A forced throttle reports a bucket just short of the request, so honest clients wait briefly.
    const throttleStatus = forced ? { ...status, currentlyAvailable: Math.max(0, Math.min(status.currentlyAvailable, requested - 1)) } : status;
    const cost: QueryCostExtension = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus };
    return reply(200, { errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }], extensions: { cost } }, { operationName, throttled: true, cost });
  }

  const result = execute({ schema: deps.schema, document: parsed, operationName: operationName ?? undefined, rootValue: deps.rootValue, variableValues: variables });
  if ("then" in result) throw new Error("sandbox resolvers must be synchronous");

  const requestLevel = result.errors?.find((error) => error.originalError instanceof RequestLevelError);
  const variableErrors = !result.data && result.errors && result.errors.every((error) => !error.path);
  const actual = requestLevel || variableErrors ? 0 : actualQueryCost(deps.schema, operation, fragments, variables, result.data);
  deps.bucket.giveBack(requested - actual);
  const cost: QueryCostExtension = { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: deps.bucket.status() };

  if (requestLevel) {
    const original = requestLevel.originalError as RequestLevelError;
    return reply(200, { errors: [{ message: original.message, locations: requestLevel.locations, path: requestLevel.path, extensions: { code: original.code } }], extensions: { cost } }, { operationName, cost });
  }
  if (variableErrors) {
    return reply(200, { errors: result.errors!.map((error) => toShopifyVariableError(error, operation)), extensions: { cost } }, { operationName, cost });
  }
  const payload: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length) payload.errors = result.errors.map((error) => ({ message: error.message, locations: error.locations, path: error.path, extensions: { code: "INTERNAL_SERVER_ERROR", ...error.extensions } }));
  payload.extensions = { cost };
  return reply(200, payload, { operationName, cost });
}

/**
 * graphql-js says what is wrong in its own words; Shopify (graphql-ruby) in others, with a code. The
 * common cases are translated so tests see what production would say; the rest keep graphql-js's
 * message with code GRAPHQL_VALIDATION_FAILED (a sandbox code, not Shopify's).
 */
export function toShopifyValidationError(error: GraphQLError): ShopifyError {
  const base = { locations: error.locations };
  let match = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(error.message);
  if (match) return { ...base, message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`, extensions: { code: "undefinedField", typeName: match[2], fieldName: match[1] } };
  match = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(error.message);
  if (match) return { ...base, message: `Field '${match[3]}' doesn't accept argument '${match[1]}'`, extensions: { code: "argumentNotAccepted", name: match[3], typeName: "Field", argumentName: match[1] } };
  match = /^Field "(\w+)\.(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\./.exec(error.message);
  if (match) return { ...base, message: `Field '${match[2]}' is missing required arguments: ${match[3]}`, extensions: { code: "missingRequiredArguments", className: "Field", name: match[2], arguments: match[3] } };
  match = /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields\./.exec(error.message);
  if (match) {
    const typeName = (match[2] ?? "").replace(/[[\]!]/g, "");
    return { ...base, message: `Field must have selections (field '${match[1]}' returns ${typeName} but has no selections. Did you mean '${match[1]} { ... }'?)`, extensions: { code: "selectionMismatch", nodeName: `field '${match[1]}'`, typeName } };
  }
  match = /^Unknown type "(\w+)"\./.exec(error.message);
  if (match) return { ...base, message: `${match[1]} isn't a defined input type`, extensions: { code: "variableRequiresValidType", typeName: match[1] } };
  match = /^Variable "\$(\w+)" is never used/.exec(error.message);
  if (match) return { ...base, message: `Variable $${match[1]} is declared by anonymous query but not used`, extensions: { code: "variableNotUsed", variableName: match[1] } };
  if (error.message.startsWith("Syntax Error")) return { ...base, message: error.message.replace(/^Syntax Error: /, "Parse error: "), extensions: { code: "parseError" } };
  return { ...base, message: error.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

function toShopifyVariableError(error: GraphQLError, operation: OperationDefinitionNode): ShopifyError {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? "";
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  const type = definition ? print(definition.type) : "unknown";
  return {
    message: `Variable $${name} of type ${type} was provided invalid value`,
    locations: error.locations,
    extensions: { code: "INVALID_VARIABLE", problems: [{ explanation: error.message }] },
  };
}
