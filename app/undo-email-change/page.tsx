import type { Metadata } from "next";
import Link from "next/link";
import { first, formErrorOf, type Query } from "@/app/components/query";
import { StepForm } from "@/app/components/step-form";
import { StoreUnavailable } from "@/app/components/store-unavailable";
import { undoLinkWorks } from "@/lib/server/actions/change-email";
import { mailedLinkState } from "@/app/components/mailed-link";
import { SpentLink } from "@/app/components/spent-link";
import { getConfig } from "@/lib/env";
import { supportContact } from "@/lib/server/actions/context";

export const metadata: Metadata = { title: "This wasn’t me" };

// From the mail to an account's old address. Opening it changes nothing; the button does.
export default async function UndoEmailChangePage({ searchParams }: { searchParams: Query }) {
  const query = await searchParams;
  const done = first(query.done);
  if (done === "locked") return <Locked />;
  if (done) {
    return (
      <div className="auth-page">
        <h1>Your address is back</h1>
        <p role="status">
          Your account has its earlier address again, and every session was signed out — whoever changed it too. Anything they added
          since (a passkey, an authenticator app, recovery codes) was removed; what you set up before is still there.
        </p>
        <p>
          Whoever changed the address knew your password, so it no longer works. We sent a link to choose a new one to your address:
          open that mail to sign in again.
        </p>
        <p className="after">
          <Link href="/forgot-password">No mail? Send me a new link</Link>
        </p>
      </div>
    );
  }
  const token = first(query.token) ?? "";
  const { state } = await mailedLinkState(token, undoLinkWorks);
  if (state === "store_unavailable") return <StoreUnavailable title="This wasn’t me" />;
  if (state === "spent") {
    const why = `${formErrorOf(query) ?? "It has expired or was already used."} If your account was taken over, reset your password from your address.`;
    return <SpentLink why={why} next={{ href: "/forgot-password", label: "Reset my password" }} />;
  }
  return (
    <div className="auth-page">
      <h1>Someone else changed your address?</h1>
      <p>
        This puts your earlier address back on the account and signs out every session, including whoever made the change. What they
        added since goes too. Your password stops working (they knew it): you’ll choose a new one from a link sent to your address.
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

/** The earlier address belongs to another account now: the account was locked instead of given away. */
function Locked() {
  const contact = supportContact(getConfig());
  return (
    <div className="auth-page">
      <h1>Your account is locked to protect it</h1>
      <p role="status">
        Your earlier address now belongs to another account, so it could not be put back. Rather than leave your account to whoever
        changed its address, we locked it: nobody can sign in to it or reset its password, and every session was signed out.
      </p>
      <p>
        To get it back, contact <strong>{contact}</strong>, say which address the account had, and be ready to show it is yours. We
        also sent this to both addresses.
      </p>
    </div>
  );
}
