import type { IncomingMessage } from "node:http";

/** A response the server writes. Every handler builds one; nothing writes to the socket directly. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Request bodies above this are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": JSON_CONTENT_TYPE, ...headers }, body: JSON.stringify(body) };
}

export class BodyTooLargeError extends Error {}

/** Read the whole request body, refusing more than {@link MAX_BODY_BYTES}. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) return Promise.reject(new BodyTooLargeError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        req.off("data", onData);
        // Keep draining (without storing) so the client can finish sending and read the 413.
        req.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on("error", (error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
  });
}

/** Lower-cased single-valued headers. */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  // Header names come from the client: no prototype, so "__proto__" is a header like any other.
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

/** Whether the content type is form-encoded (parameters such as `;charset=utf-8` ignored). */
export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded";
}

export function isJsonContentType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type.endsWith("+json");
}

/** Parse credentials of `Authorization: Basic` per RFC 6749 §2.3.1 (form-encoded, then base64). */
export function parseBasicAuth(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, " "));
    } catch {
      return value;
    }
  };
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** The bearer token of an Authorization header, `""` when the header is absent or empty. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === "") return "";
  const match = /^Bearer\s*(.*)$/i.exec(header.trim());
  return match ? match[1]!.trim() : undefined;
}
