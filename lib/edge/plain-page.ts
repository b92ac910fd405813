// A page that must render when nothing else can, or outside the app's layout: a title, a few
// paragraphs and one link. Edge-safe, self-contained HTML with one inline stylesheet.

/** The page has one inline stylesheet and nothing else. */
export const PLAIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A path of this site only; anything else becomes the home page. */
const sameSite = (path: string) => (path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") ? path : "/");

export function plainPage(page: { title: string; paragraphs: string[]; link: { href: string; label: string } }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Keycard</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 1rem; box-sizing: border-box; display: grid; place-items: center; min-height: 100vh; background: #f6f7f9; color: #1b1f24; }
  main { max-width: 28rem; padding: 2rem; background: #fff; border: 1px solid #d5d9e0; border-radius: 12px; }
  h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
  a { display: inline-block; margin-top: 1rem; padding: .6rem 1rem; background: #1f4fd1; color: #fff; border-radius: 8px; text-decoration: none; }
  a:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
</style>
</head>
<body>
<main>
  <h1>${escapeHtml(page.title)}</h1>
${page.paragraphs.map((p) => `  <p>${escapeHtml(p)}</p>`).join("\n")}
  <a href="${escapeHtml(sameSite(page.link.href))}">${escapeHtml(page.link.label)}</a>
</main>
</body>
</html>`;
}
