-- AlterTable
ALTER TABLE "ProviderSignIn" ADD COLUMN     "providerProvedAt" TIMESTAMP(3);
