import type { Prisma, Shop } from "@prisma/client";
import { prisma } from "../db.server.ts";

// Shops are the tenancy root: everything else is reached through a shopId obtained here.

export async function findShopByDomain(domain: string): Promise<Shop | null> {
  return prisma.shop.findUnique({ where: { domain } });
}

/** Creates the shop (with default settings) on first contact, re-activates it after a reinstall. */
export async function ensureShop(domain: string, data: Partial<Pick<Prisma.ShopCreateInput, "name" | "timezone" | "currency">> = {}): Promise<Shop> {
  return prisma.shop.upsert({
    where: { domain },
    create: { domain, name: data.name ?? domain.replace(/\.myshopify\.com$/, ""), ...data, settings: { create: {} } },
    update: { status: "ACTIVE", uninstalledAt: null },
  });
}

export async function listActiveShops(): Promise<Pick<Shop, "id" | "domain" | "timezone">[]> {
  return prisma.shop.findMany({ where: { status: "ACTIVE" }, select: { id: true, domain: true, timezone: true }, orderBy: { domain: "asc" } });
}
