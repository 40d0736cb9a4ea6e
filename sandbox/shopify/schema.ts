import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

// Shopify's published Admin schema (see schema/README.md), built once per process and version: building
// it takes a few hundred milliseconds, and every sandbox in a test run can share it (it is immutable).

export const SUPPORTED_API_VERSIONS = ["2026-10"] as const;
export type SandboxApiVersion = (typeof SUPPORTED_API_VERSIONS)[number];

const schemas = new Map<string, GraphQLSchema>();

export function loadAdminSchema(version: SandboxApiVersion = "2026-10"): GraphQLSchema {
  let schema = schemas.get(version);
  if (!schema) {
    const file = new URL(`./schema/admin_${version}.json.gz`, import.meta.url);
    const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
    schema = buildClientSchema(introspection.data, { assumeValid: true });
    schemas.set(version, schema);
  }
  return schema;
}
