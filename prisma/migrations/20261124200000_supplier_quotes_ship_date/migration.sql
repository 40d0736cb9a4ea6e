-- A supplier whose lead time runs to its ship date: the engine adds the ship method's transit days to it.
ALTER TABLE "Supplier" ADD COLUMN "quotesShipDate" BOOLEAN NOT NULL DEFAULT false;
