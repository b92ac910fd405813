-- AlterTable
ALTER TABLE "EmailChallenge" ADD COLUMN     "identityProvider" TEXT,
ADD COLUMN     "identitySubject" TEXT;

-- AlterTable
ALTER TABLE "PendingSignIn" ALTER COLUMN "passwordHash" DROP NOT NULL;

-- AlterTable
ALTER TABLE "User" ALTER COLUMN "passwordHash" DROP NOT NULL;

-- CreateTable
CREATE TABLE "ProviderIdentity" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "ProviderIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderSignIn" (
    "id" TEXT NOT NULL,
    "browser" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "next" TEXT NOT NULL,
    "persistent" BOOLEAN NOT NULL,
    "userId" TEXT,
    "sessionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "subject" TEXT,
    "email" TEXT,
    "linkUserId" TEXT,
    "linkExpiresAt" TIMESTAMP(3),
    "linkedAt" TIMESTAMP(3),

    CONSTRAINT "ProviderSignIn_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderIdentity_userId_idx" ON "ProviderIdentity"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderIdentity_provider_subject_key" ON "ProviderIdentity"("provider", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderSignIn_state_key" ON "ProviderSignIn"("state");

-- CreateIndex
CREATE INDEX "ProviderSignIn_expiresAt_idx" ON "ProviderSignIn"("expiresAt");

-- AddForeignKey
ALTER TABLE "ProviderIdentity" ADD CONSTRAINT "ProviderIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
