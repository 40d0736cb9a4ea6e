// Workaround for prisma/orm#27403 (open upstream): Prisma 6.19's WASM schema engine reads pg_catalog
// columns of type `name` (oid 19) and "char" (oid 18), which @prisma/adapter-pg cannot deserialize
// ("Column type 'name' could not be deserialized from the database"). We map those oids to text (25).
//
// Second fix in the same place: adapter-pg 6.19.3's executeScript() runs a migration as
// `script.split(";")`, which cuts PL/pgSQL bodies ($$ … ; … $$) apart ("unterminated dollar-quoted
// string"). We send the whole script as one simple-protocol query instead, which PostgreSQL runs
// statement by statement. (No upstream issue found for this one; re-check when leaving 6.19.)
//
// Only the migration CLI needs this; the app's runtime client uses a plain PrismaPg adapter.
import { PrismaPg } from "@prisma/adapter-pg";

const TEXTLIKE_OIDS = new Set([18, 19, 24, 194, 2205, 2206]); // char, name, regproc, pg_node_tree, regclass, regtype

export function migrationAdapter(connectionString: string) {
  // Discrete fields, not `connectionString`: adapter-pg's connectToShadowDb() spreads the config and
  // overrides `database`, which a connectionString would silently win over (the shadow DB would be the main DB).
  const url = new URL(connectionString);
  const factory = new PrismaPg({
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
    allowExitOnIdle: true,
    idleTimeoutMillis: 500, // otherwise the CLI waits 10 s for the idle pool
  });
  const connect = factory.connect.bind(factory);
  (factory as unknown as { connect: () => Promise<unknown> }).connect = async () => {
    const adapter = (await connect()) as object;
    let proto = Object.getPrototypeOf(adapter);
    while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO")) proto = Object.getPrototypeOf(proto);
    if (proto && !proto.__textlikePatched) {
      const performIO = proto.performIO;
      proto.performIO = async function (query: unknown) {
        const result = await performIO.call(this, query);
        for (const field of result?.fields ?? []) if (TEXTLIKE_OIDS.has(field.dataTypeID)) field.dataTypeID = 25;
        return result;
      };
      proto.__textlikePatched = true;
    }
    const scriptable = adapter as { client: { query(sql: string): Promise<unknown> }; onError(e: unknown): never; executeScript?: unknown };
    scriptable.executeScript = async (script: string) => {
      try {
        await scriptable.client.query(script);
      } catch (error) {
        scriptable.onError(error);
      }
    };
    return adapter;
  };
  return factory;
}
