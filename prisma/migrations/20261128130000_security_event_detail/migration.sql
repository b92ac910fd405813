-- AlterTable
ALTER TABLE "SecurityEvent" ADD COLUMN "detail" TEXT;
