import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

// Shopify's calculated query cost, as documented for the Admin API: scalars and enums cost 0, an object
// 1, a connection 2 plus `first` (or `last`) times the cost of one node, a list of objects its `first`
// (or 1) times one element, a mutation field 10. "Requested" is computed before execution from the
// arguments; "actual" from what was returned (Shopify refunds the difference to the bucket).

export const MUTATION_FIELD_COST = 10;
export const SINGLE_QUERY_MAX_COST = 1000;

type Context = { schema: GraphQLSchema; fragments: Record<string, FragmentDefinitionNode>; variables: Record<string, unknown> };

export function requestedQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>): number {
  const ctx: Context = { schema, fragments, variables };
  if (operation.operation === "mutation") return fields(ctx, operation.selectionSet, schema.getMutationType()!).length * MUTATION_FIELD_COST;
  return selectionCost(ctx, operation.selectionSet, schema.getQueryType()!, undefined);
}

export function actualQueryCost(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Record<string, unknown>, data: unknown): number {
  const ctx: Context = { schema, fragments, variables };
  if (operation.operation === "mutation") return fields(ctx, operation.selectionSet, schema.getMutationType()!).length * MUTATION_FIELD_COST;
  return selectionCost(ctx, operation.selectionSet, schema.getQueryType()!, isRecord(data) ? data : {});
}

/** The field nodes a selection set selects on `type`, fragments inlined (conditions matched by name). */
function fields(ctx: Context, selectionSet: SelectionSetNode, type: GraphQLCompositeType): FieldNode[] {
  const out: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || appliesTo(ctx, selection.typeCondition.name.value, type)) out.push(...fields(ctx, selection.selectionSet, type));
    } else {
      const fragment = ctx.fragments[selection.name.value];
      if (fragment && appliesTo(ctx, fragment.typeCondition.name.value, type)) out.push(...fields(ctx, fragment.selectionSet, type));
    }
  }
  return out;
}

function appliesTo(ctx: Context, condition: string, type: GraphQLCompositeType): boolean {
  if (condition === type.name) return true;
  const conditionType = ctx.schema.getType(condition);
  // On an abstract parent every possible branch may run: count it (an upper bound, like Shopify's).
  return !isObjectType(type) || (conditionType !== undefined && !isObjectType(conditionType));
}

function argument(ctx: Context, field: FieldNode, name: string): unknown {
  const node = field.arguments?.find((arg) => arg.name.value === name);
  return node ? valueFromASTUntyped(node.value, ctx.variables) : undefined;
}

function isConnectionField(type: GraphQLOutputType): boolean {
  return getNamedType(type).name.endsWith("Connection");
}

/** `data` undefined → requested cost from arguments; an object → actual cost from what it holds. */
function selectionCost(ctx: Context, selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, data: Record<string, unknown> | undefined): number {
  if (!isObjectType(parentType) && !("getFields" in parentType)) return 0;
  let total = 0;
  for (const field of fields(ctx, selectionSet, parentType)) {
    const name = field.name.value;
    if (name.startsWith("__")) continue;
    const definition = "getFields" in parentType ? parentType.getFields()[name] : undefined;
    if (!definition || !field.selectionSet) continue;
    const returnType = getNamedType(definition.type);
    if (isLeafType(returnType)) continue;
    const childType = returnType as GraphQLCompositeType;
    const value = data?.[field.alias?.value ?? name];
    if (data !== undefined && (value === null || value === undefined)) continue;

    if (isConnectionField(definition.type)) {
      total += 2 + connectionCost(ctx, field, childType, data === undefined ? undefined : (value as Record<string, unknown>));
      continue;
    }
    const unwrapped = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
    if (isListType(unwrapped)) {
      if (data === undefined) {
        const size = Number(argument(ctx, field, "first") ?? argument(ctx, field, "last") ?? 1);
        total += size * (1 + selectionCost(ctx, field.selectionSet, childType, undefined));
      } else {
        for (const element of value as unknown[]) total += 1 + selectionCost(ctx, field.selectionSet, childType, isRecord(element) ? element : {});
      }
      continue;
    }
    total += 1 + selectionCost(ctx, field.selectionSet, childType, data === undefined ? undefined : (value as Record<string, unknown>));
  }
  return total;
}

function connectionCost(ctx: Context, field: FieldNode, connectionType: GraphQLCompositeType, data: Record<string, unknown> | undefined): number {
  if (!("getFields" in connectionType)) return 0;
  const size = Number(argument(ctx, field, "first") ?? argument(ctx, field, "last") ?? 0);
  let total = 0;
  for (const sub of fields(ctx, field.selectionSet!, connectionType)) {
    const subName = sub.name.value;
    const key = sub.alias?.value ?? subName;
    if (!sub.selectionSet || (subName !== "nodes" && subName !== "edges")) continue; // pageInfo is free
    const elementType = getNamedType(connectionType.getFields()[subName]!.type) as GraphQLCompositeType;
    if (subName === "nodes") {
      if (data === undefined) total += size * (1 + selectionCost(ctx, sub.selectionSet, elementType, undefined));
      else for (const node of (data[key] as unknown[] | undefined) ?? []) total += 1 + selectionCost(ctx, sub.selectionSet, elementType, isRecord(node) ? node : {});
    } else {
      // An edge costs nothing itself; its node is the object.
      const edgeFields = fields(ctx, sub.selectionSet, elementType);
      const nodeField = edgeFields.find((edgeField) => edgeField.name.value === "node");
      if (!nodeField?.selectionSet || !("getFields" in elementType)) continue;
      const nodeType = getNamedType(elementType.getFields()["node"]!.type) as GraphQLCompositeType;
      if (data === undefined) total += size * (1 + selectionCost(ctx, nodeField.selectionSet, nodeType, undefined));
      else {
        for (const edge of (data[key] as unknown[] | undefined) ?? []) {
          const node = isRecord(edge) ? edge[nodeField.alias?.value ?? "node"] : undefined;
          total += 1 + selectionCost(ctx, nodeField.selectionSet, nodeType, isRecord(node) ? node : {});
        }
      }
    }
  }
  return total;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
