// Reading a page's query string: one value per name, and codes turned into words (never free
// text from the address, so no link can put words on our pages).
import { messageFor } from "@/lib/edge/credentials";

export type Query = Promise<Record<string, string | string[] | undefined>>;

export const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The form-level error a no-JavaScript post came back with, in words. */
export function formErrorOf(query: Awaited<Query>): string | undefined {
  const error = first(query.error);
  // An error that names a field is shown next to that field, not twice.
  const blamesAField = Object.keys(query).some((name) => name.endsWith("_error"));
  if (!error || error === "validation_failed" || blamesAField) return undefined;
  return messageFor(error) ?? "Something was wrong with that request. Please try again.";
}

export type FormErrors = { formError?: string; fieldErrors: Record<string, string | undefined> };

/**
 * What a no-JavaScript post came back with, for one form, in words: the form's error (unless a
 * field is blamed) and each field's (`<field>_error`). On a page with several forms, `form` is the
 * one `?form=` must name (null: the form posted without one); another form's errors stay there.
 */
export function formErrorsOf(query: Awaited<Query>, form?: string | null): FormErrors {
  if (form !== undefined && (first(query.form) ?? null) !== form) return { fieldErrors: {} };
  const fieldErrors: Record<string, string | undefined> = {};
  for (const name of Object.keys(query)) {
    if (name.endsWith("_error")) fieldErrors[name.slice(0, -"_error".length)] = messageFor(first(query[name]));
  }
  return { formError: formErrorOf(query), fieldErrors };
}
