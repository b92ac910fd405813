// What the sign-in and sign-up pages read from their query string: where to go next, and the
// codes a no-JavaScript form submission came back with (never free text, so no one can put
// words on our page through a link).
import { messageFor } from "@/lib/auth/credentials";
import { safeNextPath } from "@/lib/http/next-path";
import type { AuthFormProps } from "./auth-form";

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function formPropsFrom(query: Awaited<SearchParams>, kind: AuthFormProps["kind"]): AuthFormProps {
  const error = first(query.error);
  return {
    kind,
    next: safeNextPath(first(query.next)),
    email: (first(query.email) ?? "").slice(0, 254),
    remember: first(query.remember) !== "0",
    formError:
      error && error !== "validation_failed"
        ? (messageFor(error) ?? "Something was wrong with that request. Please try again.")
        : undefined,
    fieldErrors: {
      email: messageFor(first(query.email_error)),
      password: messageFor(first(query.password_error)),
    },
  };
}
