/**
 * Deterministic row ids: "c" + 24 hex characters of SHA-1(namespace | kind | key). The namespace is the
 * shop's domain, so two demo shops in one database never share an id, and a reseed of the same shop
 * produces the same ids (bookmarked demo URLs keep working). Same shape as Prisma's cuid(): [a-z0-9]{25}.
 */
import { createHash } from "node:crypto";

export type IdFactory = (kind: string, key: string) => string;

export function createIdFactory(namespace: string): IdFactory {
  return (kind, key) => `c${createHash("sha1").update(`${namespace}|${kind}|${key}`).digest("hex").slice(0, 24)}`;
}
