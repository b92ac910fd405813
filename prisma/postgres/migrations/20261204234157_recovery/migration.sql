-- AlterTable
ALTER TABLE "EmailChallenge" ADD COLUMN     "keyId" TEXT,
ADD COLUMN     "restoreEmail" TEXT;

-- AlterTable
ALTER TABLE "PendingSignIn" ADD COLUMN     "ip" TEXT,
ADD COLUMN     "newPasswordHash" TEXT,
ADD COLUMN     "userAgent" TEXT;

-- AlterTable
ALTER TABLE "RecoveryCode" ADD COLUMN     "keyId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lockedAt" TIMESTAMP(3),
ADD COLUMN     "lockedReason" TEXT,
ADD COLUMN     "secondFactorFailures" INTEGER NOT NULL DEFAULT 0;
