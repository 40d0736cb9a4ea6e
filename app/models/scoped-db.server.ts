import { Prisma } from "@prisma/client";
import { prisma } from "../db.server.ts";

// Tenancy guard. Every shop-owned row carries shopId, and a query that forgets it leaks another
// merchant's data: the tutorial-style `findFirst({ where: { id } })` returns any shop's row for a
// guessed or replayed id. forShop(shopId) returns a client on which every query of a shop-owned model
// is confined to that shop, so code that uses it cannot forget:
//   - reads, counts, aggregates, groupBy, updates and deletes get `shopId` added to `where`
//     (Prisma 6 accepts extra filters next to the unique field in findUnique/update/delete);
//   - creates get `shopId` put into `data`;
//   - an explicit, different shopId (or a connect to another Shop) is an error, never silently rewritten.
// The list of shop-owned models is read from the generated client, so a new model is covered as soon as
// it has a shopId column. Models without one (Shop, Session) pass through untouched.
//
// Limits, by design: nested reads/writes (include, select, nested create) are not rewritten. They
// reach related rows through a parent that is already scoped, and the foreign keys keep children
// with their parent's shop. Raw SQL ($queryRaw) is not covered: write shopId into it yourself.

export class CrossShopAccessError extends Error {
  /** Same shape as AppError/DomainError kinds, so the edges classify it without knowing this class. */
  readonly kind = "forbidden";

  constructor(model: string, operation: string, detail: string) {
    super(`Refused ${model}.${operation} across shops: ${detail}`);
    this.name = "CrossShopAccessError";
  }
}

type ShopOwnedModel = { shopRelation: string | undefined };

const SHOP_OWNED: ReadonlyMap<string, ShopOwnedModel> = new Map(
  Prisma.dmmf.datamodel.models
    .filter((model) => model.fields.some((field) => field.name === "shopId" && field.kind === "scalar"))
    .map((model) => [
      model.name,
      { shopRelation: model.fields.find((field) => field.kind === "object" && field.type === "Shop")?.name },
    ]),
);

/** Model names (as in schema.prisma) that forShop confines; exported for tests. */
export const shopOwnedModels: readonly string[] = [...SHOP_OWNED.keys()];

const WHERE_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
]);
const UPDATE_OPERATIONS = new Set(["update", "updateMany", "updateManyAndReturn"]);
const CREATE_OPERATIONS = new Set(["create", "createMany", "createManyAndReturn"]);

type Args = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function forShop(shopId: string) {
  if (typeof shopId !== "string" || shopId.length === 0) throw new Error("forShop needs a shop id");

  const scopeWhere = (model: string, operation: string, where: unknown): Args => {
    const scoped: Args = isObject(where) ? { ...where } : {};
    for (const [key, value] of Object.entries(scoped)) {
      // Compound unique inputs such as shopId_code: { shopId, code }.
      if (key.split("_").includes("shopId") && isObject(value) && "shopId" in value && value.shopId !== shopId) {
        throw new CrossShopAccessError(model, operation, `where.${key}.shopId is another shop`);
      }
    }
    if ("shopId" in scoped && scoped.shopId !== shopId) {
      throw new CrossShopAccessError(model, operation, "where.shopId must be this shop's id (or left out)");
    }
    scoped.shopId = shopId;
    return scoped;
  };

  const checkShopRelation = (model: string, operation: string, data: Args, relation: string | undefined): boolean => {
    if (!relation || !(relation in data)) return false;
    const connect = isObject(data[relation]) ? (data[relation] as Args).connect : undefined;
    if (!isObject(connect) || connect.id !== shopId || Object.keys(data[relation] as Args).length !== 1) {
      throw new CrossShopAccessError(model, operation, `data.${relation} may only connect this shop`);
    }
    return true;
  };

  const scopeCreateData = (model: string, operation: string, data: unknown, relation: string | undefined): Args => {
    if (!isObject(data)) throw new CrossShopAccessError(model, operation, "data must be an object");
    if ("shopId" in data && data.shopId !== shopId) {
      throw new CrossShopAccessError(model, operation, "data.shopId must be this shop's id (or left out)");
    }
    if (checkShopRelation(model, operation, data, relation)) return data;
    return { ...data, shopId };
  };

  const checkUpdateData = (model: string, operation: string, data: unknown, relation: string | undefined): void => {
    if (!isObject(data)) return;
    if ("shopId" in data && data.shopId !== shopId) {
      throw new CrossShopAccessError(model, operation, "a row cannot be moved to another shop");
    }
    checkShopRelation(model, operation, data, relation);
  };

  return prisma.$extends({
    name: "shop-scope",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const owned = SHOP_OWNED.get(model);
          if (!owned) return query(args);
          const scoped: Args = isObject(args) ? { ...args } : {};
          const relation = owned.shopRelation;

          if (WHERE_OPERATIONS.has(operation)) {
            scoped.where = scopeWhere(model, operation, scoped.where);
            if (UPDATE_OPERATIONS.has(operation)) checkUpdateData(model, operation, scoped.data, relation);
          } else if (CREATE_OPERATIONS.has(operation)) {
            scoped.data = Array.isArray(scoped.data)
              ? scoped.data.map((row: unknown) => scopeCreateData(model, operation, row, relation))
              : scopeCreateData(model, operation, scoped.data, relation);
          } else if (operation === "upsert") {
            scoped.where = scopeWhere(model, operation, scoped.where);
            scoped.create = scopeCreateData(model, operation, scoped.create, relation);
            checkUpdateData(model, operation, scoped.update, relation);
            // When `where` hits another shop's row, Postgres' native upsert (ON CONFLICT … DO UPDATE
            // … WHERE shopId = …) neither inserts nor updates and Prisma resolves null despite its type.
            const row: unknown = await query(scoped as typeof args);
            if (row === null) throw new CrossShopAccessError(model, operation, "the row matched by `where` belongs to another shop");
            return row;
          } else {
            // Fail closed: an operation this guard does not know could bypass it.
            throw new CrossShopAccessError(model, operation, "operation is not supported on a shop-scoped client");
          }
          return query(scoped as typeof args);
        },
      },
    },
  });
}

export type ShopScopedClient = ReturnType<typeof forShop>;
