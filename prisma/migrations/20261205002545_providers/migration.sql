-- AlterTable
ALTER TABLE "EmailChallenge" ADD COLUMN "identityProvider" TEXT;
ALTER TABLE "EmailChallenge" ADD COLUMN "identitySubject" TEXT;

-- CreateTable
CREATE TABLE "ProviderIdentity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "createdAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    CONSTRAINT "ProviderIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ProviderSignIn" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "subject" TEXT,
    "email" TEXT,
    "linkUserId" TEXT,
    "linkExpiresAt" DATETIME,
    "linkedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PendingSignIn" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "persistent" BOOLEAN NOT NULL,
    "passwordHash" TEXT,
    "newPasswordHash" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "PendingSignIn_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_PendingSignIn" ("attempts", "createdAt", "expiresAt", "id", "ip", "newPasswordHash", "passwordHash", "persistent", "tokenHash", "usedAt", "userAgent", "userId") SELECT "attempts", "createdAt", "expiresAt", "id", "ip", "newPasswordHash", "passwordHash", "persistent", "tokenHash", "usedAt", "userAgent", "userId" FROM "PendingSignIn";
DROP TABLE "PendingSignIn";
ALTER TABLE "new_PendingSignIn" RENAME TO "PendingSignIn";
CREATE UNIQUE INDEX "PendingSignIn_tokenHash_key" ON "PendingSignIn"("tokenHash");
CREATE INDEX "PendingSignIn_expiresAt_idx" ON "PendingSignIn"("expiresAt");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT,
    "createdAt" DATETIME NOT NULL,
    "emailVerifiedAt" DATETIME,
    "lockedAt" DATETIME,
    "lockedReason" TEXT,
    "secondFactorFailures" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_User" ("createdAt", "email", "emailVerifiedAt", "id", "lockedAt", "lockedReason", "passwordHash", "secondFactorFailures") SELECT "createdAt", "email", "emailVerifiedAt", "id", "lockedAt", "lockedReason", "passwordHash", "secondFactorFailures" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ProviderIdentity_userId_idx" ON "ProviderIdentity"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderIdentity_provider_subject_key" ON "ProviderIdentity"("provider", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderSignIn_state_key" ON "ProviderSignIn"("state");

-- CreateIndex
CREATE INDEX "ProviderSignIn_expiresAt_idx" ON "ProviderSignIn"("expiresAt");
