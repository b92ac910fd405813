-- AlterTable
ALTER TABLE "Session" ADD COLUMN "replacesSessionId" TEXT;
