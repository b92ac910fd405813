import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthForm } from "@/app/components/auth-form";
import { formPropsFrom, type SearchParams } from "@/app/components/credentials-page";
import { getSessionOrNull } from "@/lib/server/current-session";
import { PasskeySignIn } from "./passkey-sign-in";
import { ProviderButtons } from "@/app/components/provider-buttons";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const props = await formPropsFrom(query, "login");
  if (await getSessionOrNull()) redirect(props.next);
  return (
    <div className="auth-page">
      <h1>Sign in</h1>
      <AuthForm
        {...props}
        notice={
          query.signedout === "1"
            ? "You have signed out."
            : query.deleted === "1"
              ? "Your account was deleted. Goodbye."
              : query.link === "1"
                ? "An account with your address already exists. Sign in to it — with its password, or a passkey — to connect the provider you came from."
                : undefined
        }
      />
      <PasskeySignIn next={props.next} />
      <ProviderButtons next={props.next} />
      <p className="after">
        New here? <Link href={`/register?next=${encodeURIComponent(props.next)}`}>Create an account</Link>
      </p>
    </div>
  );
}
