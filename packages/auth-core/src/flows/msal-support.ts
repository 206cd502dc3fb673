import { createHash } from "node:crypto";
import { authorityMetadata, cloudDiscoveryMetadata } from "../clouds.js";
import { AuthenticationError, MsintError, summarizeText, translateEntraError } from "../errors.js";
import type { Transport } from "../transport/index.js";
import { adaptToMsalNetworkClient, type MsalNetworkRequestOptions } from "../transport/index.js";
import { jsonObject, redirectError, tokenAnswerProblem } from "./oauth-http.js";

/** Loads msal-node only when a token has to be fetched: the cached-token path never pays for it. */
export function loadMsal(): Promise<typeof import("@azure/msal-node")> {
  return import("@azure/msal-node");
}

/**
 * MSAL insists on an https authority but accepts any endpoint in `authorityMetadata`. Giving it the catalog's
 * endpoints (and the host as a known authority) removes every discovery round trip, and lets a loopback
 * emulator on http serve as the login host.
 */
export function msalAuthorityOptions(loginHost: string, tenantId: string) {
  const url = new URL(loginHost);
  const authorityHost = url.host;
  return {
    authority: `https://${authorityHost}/${tenantId}`,
    knownAuthorities: [authorityHost],
    authorityMetadata: authorityMetadata(loginHost, tenantId),
    cloudDiscoveryMetadata: cloudDiscoveryMetadata(authorityHost),
  };
}

/** What the network client saw last: the raw token response, so errors and `refresh_in` are ours to read. */
export interface CapturedExchange {
  status?: number;
  /** The `location` header of the last response (a redirect's target). */
  location?: string;
  /** The raw body text of the last response. */
  body?: string;
  /** The URL of the last response. */
  url?: string;
  thrown?: unknown;
}

/** Wraps the transport for MSAL and remembers the last exchange (raw response, or the transport error). */
export function capturingNetworkClient(transport: Transport, capture: CapturedExchange) {
  const client = adaptToMsalNetworkClient(transport, {
    onResponse: (response) => {
      capture.status = response.status;
      capture.body = response.body;
      capture.url = response.url;
      if (response.headers["location"] !== undefined) capture.location = response.headers["location"];
      else delete capture.location;
    },
  });
  const record = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      capture.thrown = error;
      throw error;
    }
  };
  return {
    sendGetRequestAsync: (url: string, options?: MsalNetworkRequestOptions, timeout?: number) =>
      record(() => client.sendGetRequestAsync(url, options, timeout)),
    sendPostRequestAsync: (url: string, options?: MsalNetworkRequestOptions) =>
      record(() => client.sendPostRequestAsync(url, options)),
  };
}

/** Forgets the previous exchange before a new token request. */
export function resetCapture(capture: CapturedExchange): void {
  delete capture.status;
  delete capture.body;
  delete capture.url;
  delete capture.location;
  delete capture.thrown;
}

/**
 * Turns whatever MSAL threw into one of our errors: the server's own error body when there was one (translated
 * from its AADSTS code), our transport error when the network failed, else MSAL's message.
 */
export function toAuthenticationError(
  error: unknown,
  capture: CapturedExchange,
  commandPrefix?: string,
): Error {
  if (MsintError.isInstance(capture.thrown)) return capture.thrown;
  if (capture.status !== undefined && capture.status >= 400 && capture.body !== undefined) {
    return translateEntraError(capture.status, capture.body, { commandPrefix });
  }
  const redirect = redirectError(capture.status, capture.location, capture.url);
  if (redirect) return redirect;
  const problem = capturedTokenProblem(capture);
  if (problem !== undefined) {
    const record = jsonObject(capture.body ?? "");
    const summary = record ? "" : ` (${summarizeText(capture.body ?? "", 120) || "an empty body"})`;
    return new AuthenticationError(
      `The token endpoint${hostOf(capture.url)} answered HTTP ${capture.status} ${problem}${summary}. Check Azure Cloud (or Azure AD endpoint) and the proxy settings: something other than Microsoft Entra ID may be answering.`,
      { status: capture.status, code: "invalid_token_answer" },
    );
  }
  if (MsintError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AuthenticationError(`Microsoft authentication failed: ${firstLine(message)}`);
}

/**
 * What is wrong with the successful token answer MSAL saw last (no access token, no positive lifetime), or
 * undefined when it is usable or was no success. MSAL itself accepts `expires_in: 0` and a missing token type.
 */
export function capturedTokenProblem(capture: CapturedExchange): string | undefined {
  if (capture.status === undefined || capture.status < 200 || capture.status >= 300) return undefined;
  return tokenAnswerProblem(jsonObject(capture.body ?? ""));
}

function hostOf(url: string | undefined): string {
  if (!url) return "";
  try {
    return ` ${new URL(url).host}`;
  } catch {
    return "";
  }
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? text;
}

/** Reads `expires_in` / `refresh_in` of a raw token response (numbers or numeric strings). */
export function lifetimeOf(body: string | undefined): { expiresIn?: number; refreshIn?: number } {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(body ?? "") as Record<string, unknown>;
  } catch {
    return {};
  }
  if (!record || typeof record !== "object") return {};
  const num = (value: unknown) => {
    const parsed = typeof value === "string" ? Number(value) : value;
    return typeof parsed === "number" && Number.isFinite(parsed) ? parsed : undefined;
  };
  return { expiresIn: num(record["expires_in"]), refreshIn: num(record["refresh_in"]) };
}

/** A short, non-reversible fingerprint of credential material. */
export function fingerprint(...parts: Array<string | undefined>): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part ?? ""}\u0000`);
  return hash.digest("hex").slice(0, 24);
}
