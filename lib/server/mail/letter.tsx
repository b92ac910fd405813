// One mail, written once and rendered twice: a plain-text part and a simple HTML part (React on the
// server). Plain on purpose: no remote images, no tracking, nothing a mail client hides; the HTML
// holds exactly the words of the text, so a person reading either sees the same mail.
import "server-only";
import { createRequire } from "node:module";
import path from "node:path";
import type { ReactElement } from "react";

// Next refuses `react-dom/server` inside its server bundles (route handlers and server components
// share React's server build, which has no string renderer). A mail is not a page: the renderer
// is loaded at run time from node_modules, outside the bundle, and given plain elements.
const loadFromApp = createRequire(path.join(process.cwd(), "package.json"));
function renderToStaticMarkup(element: ReactElement): string {
  const server = loadFromApp("react-dom/server") as typeof import("react-dom/server");
  return server.renderToStaticMarkup(element);
}

/** Where and when something happened, so a person can tell whether it was them. */
export type Circumstances = { when: Date; device: string; ip: string | null };

export type Letter = {
  subject: string;
  /** Paragraphs before the code or button. */
  intro: string[];
  /** A code to type, shown large. */
  code?: string;
  /** The one thing to do, as a button (and as a plain address in the text part). */
  action?: { label: string; href: string };
  circumstances?: Circumstances;
  /** Paragraphs after: what to do if it was not them, how long the code lasts. */
  outro: string[];
};

export type RenderedLetter = { subject: string; text: string; html: string };

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

function circumstanceRows(c: Circumstances): [string, string][] {
  return [
    ["When", `${WHEN.format(c.when)} UTC`],
    ["Device", c.device],
    ["IP address", c.ip ?? "unknown"],
  ];
}

export function renderLetter(letter: Letter, appOrigin: string): RenderedLetter {
  return { subject: letter.subject, text: plainText(letter, appOrigin), html: `<!doctype html>${renderToStaticMarkup(<LetterHtml letter={letter} appOrigin={appOrigin} />)}` };
}

function plainText(letter: Letter, appOrigin: string): string {
  const parts = [...letter.intro];
  if (letter.code) parts.push(`Your code: ${letter.code}`);
  if (letter.action) parts.push(`${letter.action.label}:\n${letter.action.href}`);
  if (letter.circumstances) parts.push(circumstanceRows(letter.circumstances).map(([k, v]) => `${k}: ${v}`).join("\n"));
  parts.push(...letter.outro);
  parts.push(`-- \nKeycard · ${appOrigin}`);
  return `${parts.join("\n\n")}\n`;
}

// Inline styles: mail clients drop <style> blocks and external sheets. Contrast ≥ 7:1 for text.
const page = { margin: 0, padding: "24px 12px", background: "#f4f4f5", fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", color: "#18181b" };
const card = { maxWidth: 560, margin: "0 auto", background: "#ffffff", border: "1px solid #d4d4d8", borderRadius: 8, padding: "24px 28px" };
const text = { fontSize: 16, lineHeight: 1.5, margin: "0 0 16px" };
const codeStyle = { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace", fontSize: 32, letterSpacing: "0.2em", fontWeight: 700, margin: "8px 0 20px" };
const button = { display: "inline-block", background: "#1d4ed8", color: "#ffffff", textDecoration: "none", padding: "12px 20px", borderRadius: 6, fontWeight: 600, fontSize: 16 };
const small = { fontSize: 14, lineHeight: 1.5, color: "#3f3f46", margin: "0 0 12px" };

function LetterHtml({ letter, appOrigin }: { letter: Letter; appOrigin: string }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{letter.subject}</title>
      </head>
      <body style={page}>
        <main style={card}>
          <p style={{ ...small, fontWeight: 700, color: "#18181b" }}>Keycard</p>
          <h1 style={{ fontSize: 22, lineHeight: 1.3, margin: "0 0 16px" }}>{letter.subject}</h1>
          {letter.intro.map((p) => (
            <p key={p} style={text}>{p}</p>
          ))}
          {letter.code && (
            <p style={codeStyle} aria-label={`Your code: ${letter.code.split("").join(" ")}`}>
              {letter.code}
            </p>
          )}
          {letter.action && (
            <>
              <p style={{ margin: "8px 0 12px" }}>
                <a href={letter.action.href} style={button}>{letter.action.label}</a>
              </p>
              <p style={small}>
                Or copy this address into your browser: <span style={{ wordBreak: "break-all" }}>{letter.action.href}</span>
              </p>
            </>
          )}
          {letter.circumstances && (
            <table role="presentation" style={{ borderCollapse: "collapse", margin: "8px 0 16px", fontSize: 15 }}>
              <tbody>
                {circumstanceRows(letter.circumstances).map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row" style={{ textAlign: "left", padding: "4px 16px 4px 0", fontWeight: 600 }}>{k}</th>
                    <td style={{ padding: "4px 0" }}>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {letter.outro.map((p) => (
            <p key={p} style={small}>{p}</p>
          ))}
          <p style={{ ...small, borderTop: "1px solid #e4e4e7", paddingTop: 12, marginTop: 20 }}>Keycard · {appOrigin}</p>
        </main>
      </body>
    </html>
  );
}
