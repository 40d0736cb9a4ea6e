-- AlterTable
ALTER TABLE "ChannelPush" ADD COLUMN     "locationId" TEXT;

-- CreateTable
CREATE TABLE "ChannelListingLevel" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "listingId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "lastKnownQuantity" INTEGER,
    "lastKnownAt" TIMESTAMP(3),
    "lastPushedQuantity" INTEGER,
    "lastPushedAt" TIMESTAMP(3),

    CONSTRAINT "ChannelListingLevel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChannelListingLevel_shopId_idx" ON "ChannelListingLevel"("shopId");

-- CreateIndex
CREATE INDEX "ChannelListingLevel_locationId_idx" ON "ChannelListingLevel"("locationId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelListingLevel_listingId_locationId_key" ON "ChannelListingLevel"("listingId", "locationId");

-- AddForeignKey
ALTER TABLE "ChannelListingLevel" ADD CONSTRAINT "ChannelListingLevel_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelListingLevel" ADD CONSTRAINT "ChannelListingLevel_listingId_fkey" FOREIGN KEY ("listingId") REFERENCES "ChannelListing"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelListingLevel" ADD CONSTRAINT "ChannelListingLevel_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location"("id") ON DELETE CASCADE ON UPDATE CASCADE;
