-- New shops start at the service levels the simulator chose for the engine's default policy
-- (A 99.9 %, B 99.5 %, C 99.5 %, skewed by value inside each class), not at 99 / 97 / 93 %, which no
-- simulation backed. Existing shops keep what they have: a stored level may be the merchant's choice.
ALTER TABLE "ShopSettings" ALTER COLUMN "serviceLevelA" SET DEFAULT 0.999,
ALTER COLUMN "serviceLevelB" SET DEFAULT 0.995,
ALTER COLUMN "serviceLevelC" SET DEFAULT 0.995;
