-- CreateIndex
CREATE INDEX "BackInStockSubscription_skuId_idx" ON "BackInStockSubscription"("skuId");

-- CreateIndex
CREATE INDEX "ChannelListing_skuId_idx" ON "ChannelListing"("skuId");

-- CreateIndex
CREATE INDEX "DailyDemand_skuId_idx" ON "DailyDemand"("skuId");

-- CreateIndex
CREATE INDEX "InventoryLevel_skuId_idx" ON "InventoryLevel"("skuId");

-- CreateIndex
CREATE INDEX "InventoryMovement_skuId_idx" ON "InventoryMovement"("skuId");

-- CreateIndex
CREATE INDEX "PurchaseOrderLine_skuId_idx" ON "PurchaseOrderLine"("skuId");

-- CreateIndex
CREATE INDEX "ReceiptLine_skuId_idx" ON "ReceiptLine"("skuId");

-- CreateIndex
CREATE INDEX "ReorderSuggestion_skuId_idx" ON "ReorderSuggestion"("skuId");

-- CreateIndex
CREATE INDEX "SalesOrderLine_skuId_idx" ON "SalesOrderLine"("skuId");

-- CreateIndex
CREATE INDEX "SupplierProduct_skuId_idx" ON "SupplierProduct"("skuId");

-- CreateIndex
CREATE INDEX "TransferLine_skuId_idx" ON "TransferLine"("skuId");

-- CreateIndex
CREATE INDEX "WriteOff_skuId_idx" ON "WriteOff"("skuId");
