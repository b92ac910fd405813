-- AlterTable
ALTER TABLE "ProviderSignIn" ADD COLUMN "secondFactorAt" DATETIME;
