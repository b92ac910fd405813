import { unstable_rethrow } from "next/navigation";
import { getCurrentSession, type CurrentSession } from "@/lib/auth/session";

/**
 * For pages that only *show* who is signed in: when the store cannot be read, render as if
 * signed out rather than fail. Pages that need the session use requireSession instead.
 */
export async function signedInOrNull(): Promise<CurrentSession | null> {
  try {
    return await getCurrentSession();
  } catch (error) {
    unstable_rethrow(error); // Next signals dynamic rendering and redirects by throwing
    console.error("[keycard] could not read the session:", error);
    return null;
  }
}
