import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthForm } from "@/app/components/auth-form";
import { formPropsFrom, type SearchParams } from "@/app/components/credentials-page";
import { getSessionOrNull } from "@/lib/server/current-session";
import { ProviderButtons } from "@/app/components/provider-buttons";

export const metadata: Metadata = { title: "Create account" };

export default async function RegisterPage({ searchParams }: { searchParams: SearchParams }) {
  const props = await formPropsFrom(await searchParams, "register");
  if (await getSessionOrNull()) redirect(props.next);
  return (
    <div className="auth-page">
      <h1>Create your account</h1>
      <AuthForm {...props} />
      <ProviderButtons next={props.next} />
      <p className="after">
        Already have an account? <Link href={`/login?next=${encodeURIComponent(props.next)}`}>Sign in</Link>
      </p>
    </div>
  );
}
