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

/** Each named field's error, in words. */
export function fieldErrorsOf(query: Awaited<Query>, names: string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, messageFor(first(query[`${name}_error`]))]));
}
