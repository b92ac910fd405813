-- AlterTable
ALTER TABLE "EmailChallenge" ADD COLUMN "keyId" TEXT;
ALTER TABLE "EmailChallenge" ADD COLUMN "restoreEmail" TEXT;

-- AlterTable
ALTER TABLE "PendingSignIn" ADD COLUMN "ip" TEXT;
ALTER TABLE "PendingSignIn" ADD COLUMN "newPasswordHash" TEXT;
ALTER TABLE "PendingSignIn" ADD COLUMN "userAgent" TEXT;

-- AlterTable
ALTER TABLE "RecoveryCode" ADD COLUMN "keyId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "emailVerifiedAt" DATETIME,
    "lockedAt" DATETIME,
    "lockedReason" TEXT,
    "secondFactorFailures" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_User" ("createdAt", "email", "emailVerifiedAt", "id", "passwordHash") SELECT "createdAt", "email", "emailVerifiedAt", "id", "passwordHash" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
