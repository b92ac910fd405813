// The page a person sees when their session could not be refreshed because the server could not
// reach its store. Edge-safe, self-contained HTML: it must render when nothing else can.
import { PLAIN_PAGE_CSP, plainPage } from "./plain-page";

export const UNAVAILABLE_PAGE_CSP = PLAIN_PAGE_CSP;

export function unavailablePage(path: string): string {
  return plainPage({
    title: "Try again in a moment",
    paragraphs: ["We couldn’t confirm your sign-in just now. You are still signed in; nothing was lost."],
    link: { href: path, label: "Try again" },
  });
}
