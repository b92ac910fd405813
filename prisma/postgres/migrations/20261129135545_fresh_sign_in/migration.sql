-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "amr" TEXT NOT NULL DEFAULT 'pwd',
ADD COLUMN     "authenticatedAt" TIMESTAMP(3);
