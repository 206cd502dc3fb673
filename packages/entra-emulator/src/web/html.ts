import { randomBytes } from "node:crypto";
import type { Reply } from "../http.js";

/** Escape text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A tagged template that escapes every interpolated value unless it is already {@link SafeHtml}. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    const text = Array.isArray(value)
      ? value.map((item) => (item instanceof SafeHtml ? item.value : escapeHtml(String(item)))).join("")
      : value instanceof SafeHtml
        ? value.value
        : value === undefined || value === null || value === false
          ? ""
          : escapeHtml(String(value));
    out += text + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

const STYLE = `
body{margin:0;font-family:"Segoe UI",system-ui,-apple-system,sans-serif;background:#f2f2f2;color:#1b1b1b}
main{max-width:440px;margin:48px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{font-weight:600;color:#5e5e5e;margin:0 0 16px}
h1{font-size:24px;font-weight:600;margin:0 0 12px}
label{display:block;margin:14px 0 4px;font-size:15px}
input[type=text],input[type=email],input[type=password]{width:100%;box-sizing:border-box;padding:6px 2px;font-size:15px;border:0;border-bottom:1px solid #666}
input:focus{outline:2px solid #0067b8;outline-offset:2px}
.buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}
button{min-width:108px;padding:6px 12px;font-size:15px;border:1px solid #8c8c8c;background:#ccc;color:#1b1b1b;cursor:pointer}
button.primary{background:#0067b8;border-color:#0067b8;color:#fff}
button:focus{outline:2px solid #1b1b1b;outline-offset:2px}
.error{color:#c4262e;margin:12px 0}
.details{font-size:12px;color:#5e5e5e;word-break:break-all}
ul{padding-left:20px}
`;

/** What {@link htmlPage} renders. */
export interface PageOptions {
  /** The document title. */
  title: string;
  body: SafeHtml;
  status?: number;
  /** Origins forms on the page may submit to (or redirect to after submitting), besides the page's own. */
  formTargets?: string[];
  /** An inline script (allowed by a per-response nonce). */
  script?: string;
  headers?: Record<string, string>;
}

function contentSecurityPolicy(nonce: string, options: PageOptions): string {
  const formTargets = ["'self'", ...(options.formTargets ?? [])].join(" ");
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    options.script ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    "img-src 'self' data:",
    `form-action ${formTargets}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

/**
 * An HTML page of the sign-in experience, with a strict Content-Security-Policy (nonce-based, no inline handlers),
 * `X-Frame-Options: DENY`, and no caching.
 */
export function htmlPage(options: PageOptions): Reply {
  const nonce = randomBytes(16).toString("base64");
  const script = options.script ? `<script nonce="${nonce}">${options.script}</script>` : "";
  const body =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">` +
    `<title>${escapeHtml(options.title)}</title><style nonce="${nonce}">${STYLE}</style></head>` +
    `<body><main><p class="brand">msint Entra emulator</p>${options.body.value}</main>${script}</body></html>`;
  return {
    status: options.status ?? 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store, no-cache",
      pragma: "no-cache",
      "content-security-policy": contentSecurityPolicy(nonce, options),
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      ...options.headers,
    },
    body,
  };
}

/** A CSP source for a redirect URI: its origin, or its scheme for custom schemes (`msal…://auth` → `msal…:`). */
export function cspSource(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === "null" ? parsed.protocol : parsed.origin;
  } catch {
    return undefined;
  }
}
