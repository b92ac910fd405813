// What a browser sends back from a WebAuthn ceremony (@simplewebauthn/browser's JSON), checked for
// shape only: the server library verifies every byte of it. Edge-safe (zod only).
import { z } from "zod";

const base64url = z.string().max(4096).regex(/^[A-Za-z0-9_-]*$/);

const credentialJSON = z.looseObject({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal("public-key"),
  response: z.record(z.string(), z.unknown()),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const passkeyResponseInput = z.strictObject({ response: credentialJSON, remember: z.boolean().default(true), next: z.string().max(2048).optional() });
export const passkeyNameInput = z.strictObject({ name: z.string().trim().min(1, "passkey_name_required").max(64, "passkey_name_too_long") });
