-- AlterTable
ALTER TABLE "ProviderSignIn" ADD COLUMN     "secondFactorAt" TIMESTAMP(3);
