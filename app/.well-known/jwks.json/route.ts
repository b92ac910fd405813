// The public keys that verify Keycard's access tokens (RFC 7517), so another service can check
// them without sharing a secret. Public parts only; cacheable for a few minutes, which is shorter
// than the time a retired key keeps verifying.
import { NextResponse } from "next/server";
import { publicJwks } from "@/lib/edge/verifying-keys";
import { getEdgeConfig } from "@/lib/env";

export function GET() {
  return NextResponse.json(publicJwks(getEdgeConfig().verifyingKeys), {
    headers: { "cache-control": "public, max-age=300", "content-type": "application/jwk-set+json" },
  });
}
