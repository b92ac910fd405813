// What the sign-in and sign-up pages read from their query string: where to go next, and the
// codes a no-JavaScript form submission came back with (never free text, so no one can put words
// on our page through a link); the email that was typed comes from a short-lived cookie.
import { cookies } from "next/headers";
import { formEmailCookieName, readFormEmail } from "@/lib/edge/cookies";
import { messageFor } from "@/lib/edge/credentials";
import { getConfig, getEdgeConfig } from "@/lib/env";
import { lockedMessage } from "@/lib/server/actions/context";
import { safeNextPath } from "@/lib/edge/next-path";
import type { AuthFormProps } from "./auth-form";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function formPropsFrom(query: Awaited<SearchParams>, kind: AuthFormProps["kind"]): Promise<AuthFormProps> {
  const error = first(query.error);
  // After a failed no-JavaScript post, what was typed comes back in a short-lived cookie, never in
  // the address (lib/edge/cookies.ts).
  const typed = error ? readFormEmail((await cookies()).get(formEmailCookieName(getEdgeConfig()))?.value) : "";
  return {
    kind,
    next: safeNextPath(first(query.next)),
    email: typed,
    remember: first(query.remember) !== "0",
    formError:
      error === "account_locked"
        ? lockedMessage(getConfig()) // with whom to contact, which the catalogue cannot know
        : error && error !== "validation_failed"
          ? (messageFor(error) ?? "Something was wrong with that request. Please try again.")
          : undefined,
    fieldErrors: {
      email: messageFor(first(query.email_error)),
      password: messageFor(first(query.password_error)),
    },
  };
}
