"use client";

// A session signed in without a second factor (a password alone, on an account whose second factor
// is a passkey): the console asks for one before it shows anything.
import { useRouter } from "next/navigation";
import { ReauthPrompt } from "@/app/components/reauth-prompt";

export function StrongConfirm() {
  const router = useRouter();
  return (
    <>
      <p>This session was signed in without a second factor. The console needs one.</p>
      <ReauthPrompt strong onConfirmed={() => router.refresh()} onCancel={() => router.push("/account")} />
    </>
  );
}
