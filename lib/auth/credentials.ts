// What a sign-up or sign-in must contain. Validation reports stable codes; MESSAGES turns them
// into words for the person at the form, and the same words go to API clients in `error.fields`.
import { z } from "zod";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from "./password";

export const MESSAGES = {
  email_required: "Enter your email address.",
  email_invalid: "Enter a valid email address, like name@example.com.",
  password_required: "Enter your password.",
  password_too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  password_too_long: `Use at most ${PASSWORD_MAX_BYTES} bytes (bcrypt ignores anything longer).`,
  remember_invalid: "“Keep me signed in” must be true or false.",
  next_invalid: "next must be a path.",
  email_taken: "An account with this email already exists. Sign in instead?",
  wrong_password: "That isn’t your current password.",
  rate_limited: "Too many attempts. Please wait a few minutes and try again.",
  invalid_credentials: "That email and password don’t match an account.",
} as const;

export type MessageCode = keyof typeof MESSAGES;

const byteLength = (s: string) => new TextEncoder().encode(s).byteLength;

const code = (c: MessageCode) => c;

const email = z
  .string({ error: (issue) => code(issue.input === undefined ? "email_required" : "email_invalid") })
  .trim()
  .toLowerCase()
  .min(1, code("email_required"))
  .max(254, code("email_invalid"))
  .pipe(z.email(code("email_invalid")));

const passwordString = z
  .string({ error: code("password_required") })
  .min(1, code("password_required"))
  .refine((p) => byteLength(p) <= PASSWORD_MAX_BYTES, code("password_too_long"));

const common = {
  email,
  remember: z.boolean({ error: code("remember_invalid") }).default(true),
  next: z.string({ error: code("next_invalid") }).max(2048, code("next_invalid")).optional(),
};

const newPassword = passwordString.refine((p) => p.length >= PASSWORD_MIN_LENGTH, code("password_too_short"));

export const registerInput = z.strictObject({ ...common, password: newPassword });

// No minimum length at sign-in: the rule may have changed since the account was made. The byte
// limit stays, because bcrypt would compare only the first 72 bytes of a longer guess.
export const loginInput = z.strictObject({ ...common, password: passwordString });

export type Credentials = z.output<typeof loginInput>;

/** A submitted form as the schemas expect it: an unchecked checkbox is absent, so false. */
export function credentialsFromForm(form: URLSearchParams): Record<string, unknown> {
  const value: Record<string, unknown> = {
    email: form.get("email") ?? undefined,
    password: form.get("password") ?? undefined,
    remember: ["on", "1", "true"].includes(form.get("remember") ?? ""),
  };
  const next = form.get("next");
  if (next) value.next = next;
  return value;
}

/** The words for a code (from validation or a sign-in page's query string); unknown codes get none. */
export function messageFor(code: string | null | undefined): string | undefined {
  return code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code as MessageCode] : undefined;
}

export const changePasswordInput = z.strictObject({ currentPassword: passwordString, newPassword });

export function changePasswordFromForm(form: URLSearchParams): Record<string, unknown> {
  return {
    currentPassword: form.get("currentPassword") ?? undefined,
    newPassword: form.get("newPassword") ?? undefined,
  };
}
