-- AlterTable
ALTER TABLE "Sku" ADD COLUMN     "collections" TEXT[] DEFAULT ARRAY[]::TEXT[];
