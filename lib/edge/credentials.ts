// What a sign-up, sign-in or password change must contain. Edge-safe (zod only). Validation
// reports stable codes; MESSAGES turns them into words for the person at the form, and the same
// words go to API clients in `error.fields`.
import { z } from "zod";
import { errorMessageFor } from "./errors";

// bcrypt reads at most 72 bytes; longer passwords are refused at validation rather than silently
// truncated (two passwords sharing their first 72 bytes would otherwise be the same password).
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_BYTES = 72;

export const MESSAGES = {
  email_required: "Enter your email address.",
  email_invalid: "Enter a valid email address, like name@example.com.",
  password_required: "Enter your password.",
  password_too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  password_too_long: `Use at most ${PASSWORD_MAX_BYTES} bytes (bcrypt ignores anything longer).`,
  remember_invalid: "“Keep me signed in” must be true or false.",
  next_invalid: "next must be a path.",
  wrong_password: "That isn’t your current password.",
  email_unchanged: "That is already your address.",
  passkey_name_required: "Give the passkey a name.",
  passkey_name_too_long: "Use at most 64 characters.",
  confirmation_mismatch: "Type your email address exactly as it is on the account.",
  password_too_weak: "This password would be easy to guess. Add another word or two; avoid common passwords, names and your email address.",
  code_required: "Enter the 6-digit code from the mail.",
  code_invalid: "The code is 6 digits, like 123456.",
  challenge_invalid: "This form is missing what the code belongs to. Start again.",
  token_invalid: "This link is not complete. Copy the whole address from the mail.",
  password_mismatch: "That isn’t the password chosen when this sign-up started.",
  reason_required: "Write down why (at least a few words): it goes in the audit log.",
  reason_too_long: "Use at most 500 characters.",
  search_invalid: "Type the start of an address (1 to 254 characters).",
  session_invalid: "That is not a session id.",
  filter_invalid: "That filter is not one the audit log knows.",
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

/** The words for a field's validation code; unknown codes get none. */
export function fieldMessageFor(code: string | null | undefined): string | undefined {
  return code && Object.hasOwn(MESSAGES, code) ? MESSAGES[code as MessageCode] : undefined;
}

/** The words for a code from a page's query string (a field's or the catalogue's); else none. */
export function messageFor(code: string | null | undefined): string | undefined {
  return fieldMessageFor(code) ?? errorMessageFor(code);
}

// No current password when the account has none yet (made through another provider): the action decides.
export const changePasswordInput = z.strictObject({ currentPassword: passwordString.optional(), newPassword });
export const removePasswordInput = z.strictObject({ currentPassword: passwordString });

export function removePasswordFromForm(form: URLSearchParams): Record<string, unknown> {
  return { currentPassword: form.get("currentPassword") ?? undefined };
}

export function changePasswordFromForm(form: URLSearchParams): Record<string, unknown> {
  return {
    currentPassword: form.get("currentPassword") || undefined,
    newPassword: form.get("newPassword") ?? undefined,
  };
}

// Mailed codes and links (lib/server/actions/{sign-up,password-reset,change-email}.ts).

// Spaces and dashes a person may type or paste ("123 456") are dropped before the check.
const mailedCode = z
  .string({ error: code("code_required") })
  .transform((c) => c.replace(/[\s-]/g, ""))
  .pipe(z.string().min(1, code("code_required")).regex(/^\d{6}$/, code("code_invalid")));
const challenge = z.uuid({ error: code("challenge_invalid") });
const linkToken = z.string({ error: code("token_invalid") }).regex(/^[A-Za-z0-9_-]{43}$/, code("token_invalid"));

export const verifyCodeInput = z.strictObject({ challenge, code: mailedCode });
// A sign-up's challenge may come from this browser's cookie instead.
// From another browser (the mail's link), the password chosen at sign-up proves it is the same person.
export const signUpCodeInput = z.strictObject({ challenge: challenge.optional(), code: mailedCode, password: passwordString.optional() });
export const resendSignUpInput = z.strictObject({ challenge: challenge.optional() });
export const passwordResetRequestInput = z.strictObject({ email });
export const passwordResetInput = z.strictObject({ token: linkToken, password: newPassword });
export const changeEmailInput = z.strictObject({ email });
export const undoEmailChangeInput = z.strictObject({ token: linkToken });

/** A plain form's fields as they are (every field of these forms is a string). */
export function fieldsFromForm(form: URLSearchParams): Record<string, unknown> {
  return Object.fromEntries(form.entries());
}

export const reauthenticateInput = z.strictObject({ password: passwordString, code: z.string().trim().max(32).optional() });
export const deleteAccountInput = z.strictObject({ confirm: z.string({ error: code("confirmation_mismatch") }).trim().toLowerCase().max(254) });

// A second factor: an app's 6 digits, or a recovery code (xxxx-xxxx-xxxx-xxxx; xxxxx-xxxxx before). Checked by the server.
export const secondFactorInput = z.strictObject({
  code: z.string({ error: code("code_required") }).trim().min(1, code("code_required")).max(32, code("code_invalid")),
  next: z.string({ error: code("next_invalid") }).max(2048, code("next_invalid")).optional(),
});
export const totpCodeInput = z.strictObject({ code: mailedCode });
// Confirming it's you through a provider, then the app's code (or a recovery code).
export const confirmationCodeInput = z.strictObject({ code: secondFactorInput.shape.code });

// The operator console (lib/server/actions/operators.ts).
// No NUL anywhere an operator types: PostgreSQL refuses it in text.
const printable = (c: MessageCode) => (s: z.ZodString) => s.refine((v) => !v.includes("\u0000"), code(c));
const reason = printable("reason_required")(z.string({ error: code("reason_required") }).trim().min(3, code("reason_required")).max(500, code("reason_too_long")));
export const operatorReasonInput = z.strictObject({ reason });
// An empty field (a form's textarea left blank) is no reason given.
export const operatorOptionalReasonInput = z.strictObject({ reason: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), reason.optional()) });
export const operatorSessionsInput = z.strictObject({ sessionId: z.uuid({ error: code("session_invalid") }).optional() });
export const operatorNoInput = z.strictObject({});
// A prefix is needed: the console finds people, it does not list everyone.
export const operatorSearchInput = z.object({
  q: printable("search_invalid")(z.string({ error: code("search_invalid") }).trim().min(1, code("search_invalid")).max(254, code("search_invalid"))),
  after: printable("search_invalid")(z.string().max(254, code("search_invalid"))).optional(),
});
export const AUDIT_ACTION_NAMES = [
  "audit_exported",
  "role_granted",
  "role_revoked",
  "sessions_revoked",
  "account_locked",
  "account_unlocked",
  "password_reset_required",
  "second_factor_removed",
  "mail_resent",
  "account_deleted",
] as const;
export const operatorAuditInput = z.object({
  operator: printable("filter_invalid")(z.string().trim().max(254, code("filter_invalid"))).optional().transform((v) => v || undefined),
  user: printable("filter_invalid")(z.string().trim().max(254, code("filter_invalid"))).optional().transform((v) => v || undefined),
  action: z.enum(AUDIT_ACTION_NAMES, { error: code("filter_invalid") }).optional().or(z.literal("").transform(() => undefined)),
  before: z.uuid({ error: code("filter_invalid") }).optional(),
});
