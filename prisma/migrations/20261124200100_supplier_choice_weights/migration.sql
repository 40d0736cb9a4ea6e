-- Supplier-choice weights per shop (issue 3 item 7: "weights configurable"), as whole percentages whose
-- sum the Settings form keeps at 100; the defaults are the engine's 40/30/20/10.
ALTER TABLE "ShopSettings" ADD COLUMN "supplierWeightPrice" INTEGER NOT NULL DEFAULT 40,
ADD COLUMN "supplierWeightLeadTime" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN "supplierWeightQuality" INTEGER NOT NULL DEFAULT 20,
ADD COLUMN "supplierWeightMoq" INTEGER NOT NULL DEFAULT 10;
