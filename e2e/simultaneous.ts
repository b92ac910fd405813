// Requests that reach the server at the same moment, as an attacker's would: each one on its own
// socket with all but its last byte written, then every last byte sent together. The server
// cannot act on any of them before that moment (it waits for the whole request), so every limit,
// code and single-use token is raced for real — not one request after another.
import net from "node:net";

export type RawRequest = {
  method: "GET" | "POST" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded when an object. */
  body?: string | object;
};

export type RawResponse = { status: number; headers: Record<string, string>; body: string; releasedAt: number; answeredAt: number };

function encode(request: RawRequest, host: string): Buffer {
  const body = request.body === undefined ? "" : typeof request.body === "string" ? request.body : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    host,
    connection: "close",
    ...(request.body !== undefined && typeof request.body === "object" ? { "content-type": "application/json" } : {}),
    ...request.headers,
    ...(request.method !== "GET" ? { "content-length": String(Buffer.byteLength(body)) } : {}),
  };
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n`;
  return Buffer.from(head + body);
}

function parse(raw: Buffer): { status: number; headers: Record<string, string>; body: string } {
  const text = raw.toString("latin1");
  const split = text.indexOf("\r\n\r\n");
  const [statusLine, ...lines] = text.slice(0, split).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] ? `${headers[name]}, ${value}` : value;
  }
  let body = text.slice(split + 4);
  if (headers["transfer-encoding"] === "chunked") {
    let decoded = "";
    for (let rest = body; ; ) {
      const eol = rest.indexOf("\r\n");
      const size = parseInt(rest.slice(0, eol), 16);
      if (!size) break;
      decoded += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    body = decoded;
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: Buffer.from(body, "latin1").toString("utf8") };
}

/** Sends every request with its last byte held back, then releases them all at once. */
export async function sendTogether(baseURL: string, requests: RawRequest[]): Promise<RawResponse[]> {
  const url = new URL(baseURL);
  const port = Number(url.port || 80);
  const held = await Promise.all(
    requests.map(
      (request) =>
        new Promise<{ socket: net.Socket; last: Buffer; answer: Promise<{ raw: Buffer; answeredAt: number }> }>((resolve, reject) => {
          const bytes = encode(request, url.host);
          const socket = net.connect({ host: url.hostname === "localhost" ? "127.0.0.1" : url.hostname, port });
          const chunks: Buffer[] = [];
          const answer = new Promise<{ raw: Buffer; answeredAt: number }>((done, fail) => {
            socket.on("data", (chunk) => chunks.push(chunk));
            socket.on("end", () => done({ raw: Buffer.concat(chunks), answeredAt: Date.now() }));
            socket.on("error", fail);
          });
          answer.catch(() => {}); // reported when awaited below
          socket.once("error", reject);
          socket.once("connect", () => socket.write(bytes.subarray(0, -1), () => resolve({ socket, last: bytes.subarray(-1), answer })));
        }),
    ),
  );
  const releasedAt = Date.now();
  for (const { socket, last } of held) socket.write(last);
  return Promise.all(
    held.map(async ({ answer }) => {
      const { raw, answeredAt } = await answer;
      return { ...parse(raw), releasedAt, answeredAt };
    }),
  );
}

/** `count` copies of one request, released together. */
export function sendManyTogether(baseURL: string, request: RawRequest, count: number): Promise<RawResponse[]> {
  return sendTogether(baseURL, Array.from({ length: count }, () => request));
}

/** How many responses had each status: { 401: 5, 429: 35 }. */
export function countStatuses(responses: RawResponse[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
