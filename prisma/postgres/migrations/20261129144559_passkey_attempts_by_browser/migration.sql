-- AlterTable
ALTER TABLE "WebAuthnChallenge" ADD COLUMN     "browser" TEXT;

-- CreateIndex
CREATE INDEX "WebAuthnChallenge_challenge_idx" ON "WebAuthnChallenge"("challenge");
