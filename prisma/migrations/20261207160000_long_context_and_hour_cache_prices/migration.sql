-- Long-context price tiers (every token of a prompt over longContextAbove tokens at the long prices) and the price of
-- one-hour cache writes, with the generations' count of them, so costs follow what the providers charge.
-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "cacheWrite1hPrice" BIGINT,
ADD COLUMN     "longCacheWrite1hPrice" BIGINT,
ADD COLUMN     "longCacheWritePrice" BIGINT,
ADD COLUMN     "longCachedInputPrice" BIGINT,
ADD COLUMN     "longContextAbove" INTEGER,
ADD COLUMN     "longInputPrice" BIGINT,
ADD COLUMN     "longOutputPrice" BIGINT;

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "cacheWrite1hTokens" INTEGER NOT NULL DEFAULT 0;

