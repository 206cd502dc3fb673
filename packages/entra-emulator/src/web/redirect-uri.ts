import { flowErrors } from "../aadsts-flows.js";
import { aadsts, type EntraErrorSpec } from "../errors.js";
import type { SeedApp } from "../types.js";

function isLoopback(url: URL): boolean {
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

/** Exact match; for http loopback redirect URIs the port is ignored, as Entra does (RFC 8252 §7.3). */
function sameRedirect(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  try {
    const a = new URL(registered);
    const b = new URL(requested);
    return (
      isLoopback(a) &&
      isLoopback(b) &&
      a.hostname === b.hostname &&
      a.pathname === b.pathname &&
      a.search === b.search
    );
  } catch {
    return false;
  }
}

/**
 * The redirect URI of a request: the one sent (it must be registered: AADSTS50011), or the app's first registered
 * one when none is sent.
 */
export function resolveRedirectUri(app: SeedApp, requested: string | null): string | EntraErrorSpec {
  const registered = app.redirectUris ?? [];
  if (!requested) return registered[0] ?? aadsts.missingParameter("redirect_uri");
  return registered.some((candidate) => sameRedirect(candidate, requested))
    ? requested
    : flowErrors.redirectUriMismatch(requested, app.clientId);
}
