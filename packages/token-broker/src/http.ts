import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The largest request body the broker reads. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An error answer of `/obtain-token`: `{ error, message }`, never with a secret in it. */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly extra: { headers?: Record<string, string>; codes?: number[] } = {},
  ) {
    super(message);
  }
}

/** The value of cookie `name` in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The request body as UTF-8 text; a body over {@link MAX_BODY_BYTES} is refused with 413 `request_too_large`. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ProtocolError(413, "request_too_large", "The request body is larger than 64 KiB.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** What the responses depend on: whether the broker is served over https, and where sign-in forms may post. */
export interface ResponderSettings {
  /** True when the public URL is https (read per response: it is known only once the server listens). */
  secure(): boolean;
  /** Origin of the Microsoft login host (the forms' redirects go there). */
  loginOrigin: string;
}

/** Writes the broker's answers, each with its security headers. */
export class Responder {
  constructor(private readonly settings: ResponderSettings) {}

  /** Whether cookies get `Secure` and answers `Strict-Transport-Security`. */
  get secure(): boolean {
    return this.settings.secure();
  }

  /** The headers of every answer. */
  commonHeaders(): Record<string, string> {
    return {
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
      "Cross-Origin-Opener-Policy": "same-origin",
      "Cross-Origin-Resource-Policy": "same-origin",
      ...(this.secure ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
    };
  }

  /** A JSON answer, never cached. */
  json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...this.commonHeaders(),
      "Content-Type": "application/json; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      "Cache-Control": "no-store",
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  }

  /** An HTML page whose scripts and styles carry a fresh CSP nonce, never cached. */
  page(
    response: ServerResponse,
    status: number,
    render: (nonce: string) => string,
    headers: Record<string, string> = {},
  ): void {
    const nonce = randomBytes(16).toString("base64");
    const html = render(nonce);
    response.writeHead(status, {
      ...this.commonHeaders(),
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self' data:",
        // Chromium applies form-action to the redirect that follows a form: the login host must be allowed.
        `form-action 'self' ${this.settings.loginOrigin}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
      "Cache-Control": "no-store",
      "Content-Length": Buffer.byteLength(html),
      ...headers,
    });
    response.end(html);
  }

  /** 303 See Other to `location`, never cached. */
  redirect(response: ServerResponse, location: string, headers: Record<string, string> = {}): void {
    response.writeHead(303, {
      ...this.commonHeaders(),
      Location: location,
      ...headers,
      "Cache-Control": "no-store",
    });
    response.end();
  }

  /** 405 Method Not Allowed with the `Allow` header. */
  notAllowed(response: ServerResponse, allow: string): void {
    response.writeHead(405, {
      ...this.commonHeaders(),
      Allow: allow,
      "Content-Type": "text/plain; charset=utf-8",
    });
    response.end("Method Not Allowed");
  }

  /** The JSON answer of a {@link ProtocolError}: `{ error, message, error_codes? }` and its headers. */
  protocolError(response: ServerResponse, error: ProtocolError): void {
    this.json(
      response,
      error.status,
      {
        error: error.error,
        message: error.message,
        ...(error.extra.codes?.length ? { error_codes: error.extra.codes } : {}),
      },
      error.extra.headers,
    );
  }
}
