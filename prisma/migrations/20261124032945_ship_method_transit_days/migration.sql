-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "shipMethodTransitDays" JSONB NOT NULL DEFAULT '{}';
