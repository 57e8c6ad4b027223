-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "rateLimitConcurrency" INTEGER,
ADD COLUMN     "rateLimitRpm" INTEGER,
ADD COLUMN     "rateLimitTpm" INTEGER;

-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "requestHash" TEXT,
ADD COLUMN     "responseHash" TEXT;

-- AlterTable
ALTER TABLE "Organization" ADD COLUMN     "byokOnly" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "promptLogging" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rateLimitConcurrency" INTEGER,
ADD COLUMN     "rateLimitRpm" INTEGER,
ADD COLUMN     "rateLimitTpm" INTEGER;

-- CreateTable
CREATE TABLE "GenerationBody" (
    "generationId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "response" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GenerationBody_pkey" PRIMARY KEY ("generationId")
);

-- CreateTable
CREATE TABLE "CustomEndpoint" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "credentialId" TEXT,
    "models" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "CustomEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GenerationBody_expiresAt_idx" ON "GenerationBody"("expiresAt");

-- CreateIndex
CREATE INDEX "GenerationBody_organizationId_createdAt_idx" ON "GenerationBody"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CustomEndpoint_organizationId_name_key" ON "CustomEndpoint"("organizationId", "name");
