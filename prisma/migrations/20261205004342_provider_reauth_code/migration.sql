-- AlterTable
ALTER TABLE "ProviderSignIn" ADD COLUMN "providerProvedAt" DATETIME;
