// Every spelling the review tried, and more: encoded dots and slashes, backslashes, tabs and
// newlines, `\/`, mixed-case schemes, absolute URLs. lib/edge/next-path.test.ts checks each one;
// e2e/sign-in.spec.ts sends the same table through the JSON sign-in, the form's 303 and the
// signed-in redirect.
export const OFF_SITE_NEXT: string[] = [
  "https://evil.example",
  "HtTpS://evil.example",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "/.//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/a/..//evil.example",
  "/a/%2e%2e//evil.example",
  "/%2f/evil.example",
  "/%5c/evil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "\t//evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,hi",
  "evil.example",
];

