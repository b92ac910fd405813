"use client";

// Keeps every tab in step with the others: a tab showing signed-in content goes to the sign-in
// page when another tab signs out; a signed-out tab re-renders when another tab signs in.
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { onAuthChange } from "./auth-channel";

export function AuthSync({ signedIn }: { signedIn: boolean }) {
  const router = useRouter();
  useEffect(
    () =>
      onAuthChange((change) => {
        if (change === "signed-out" && signedIn) {
          const here = window.location.pathname + window.location.search;
          window.location.assign(`/login?next=${encodeURIComponent(here)}`);
        } else if (change === "signed-in" && !signedIn) {
          router.refresh();
        }
      }),
    [signedIn, router],
  );
  return null;
}
