import type { Metadata } from "next";
import Link from "next/link";
import { first, formErrorOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { undoLinkWorks } from "@/lib/server/actions/change-email";
import { mailedLinkState } from "@/app/components/mailed-link";
import { SpentLink } from "@/app/components/spent-link";

export const metadata: Metadata = { title: "This wasn’t me" };

// From the mail to an account's old address. Opening it changes nothing; the button does.
export default async function UndoEmailChangePage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const done = first(query.done);
  if (done) {
    return (
      <div className="auth-page">
        <h1>Every session was signed out</h1>
        <p role="status">
          {done === "restored"
            ? "Your address is back on the account, and every session was signed out."
            : "Every session was signed out. Your old address is now used by another account, so it could not be put back."}{" "}
          Whoever changed it knew your password, so it no longer works: choose a new one to sign in again.
        </p>
        <p>
          <Link className="button block" href="/forgot-password">
            Reset my password
          </Link>
        </p>
      </div>
    );
  }
  const token = first(query.token) ?? "";
  const state = await mailedLinkState(token, undoLinkWorks);
  if (state === "store_unavailable") return <StoreUnavailable title="This wasn’t me" />;
  if (state === "spent") {
    const why = `${formErrorOf(query) ?? "It has expired or was already used."} If your account was taken over, reset your password from your address.`;
    return <SpentLink why={why} next={{ href: "/forgot-password", label: "Reset my password" }} />;
  }
  return (
    <div className="auth-page">
      <h1>Someone else changed your address?</h1>
      <p>
        This puts your old address back on the account and signs out every session, including whoever made the change. Your
        password stops working too (they knew it): you’ll choose a new one from a link sent to your address.
      </p>
      <StepForm
        action="/api/auth/email/undo"
        hidden={{ token }}
        fields={[]}
        submit="Put my address back and sign out everywhere"
        pending="Working…"
        then="/undo-email-change?done={status}"
        formError={formErrorOf(query)}
      />
    </div>
  );
}
