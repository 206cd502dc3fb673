import { aadsts, type EntraErrorSpec, entraError, entraHeaders } from "../errors.js";
import { jsonReply, type Reply } from "../http.js";
import type { EmulatorRequest, EmulatorState } from "../state.js";
import type { SeedTenant } from "../types.js";

/** A token request: its parsed form and the tenant its URL names (none for `organizations`/`common`). */
export interface TokenRequestContext {
  state: EmulatorState;
  request: EmulatorRequest;
  /** The form body. */
  params: URLSearchParams;
  /** The tenant segment of the URL, as sent. */
  tenantSegment: string;
  /** The tenant the segment names; undefined for the multi-tenant segments `organizations` and `common`. */
  tenant: SeedTenant | undefined;
}

/** What a tenant-bound grant module receives: a token request to a known tenant. */
export interface GrantContext extends TokenRequestContext {
  tenant: SeedTenant;
}

/** One grant type's implementation. Register it in the table of `token/endpoint.ts`. */
export type TokenGrant = (context: TokenRequestContext) => Reply | Promise<Reply>;

/** A grant that needs a tenant-specific URL. */
export type GrantHandler = (context: GrantContext) => Reply | Promise<Reply>;

/** Marker thrown (or returned) by the shared checks: an Entra error to answer with. */
export class EntraFailure {
  constructor(readonly spec: EntraErrorSpec) {}
}

/** Wrap a grant that only works on tenant-specific URLs: `organizations`/`common` answer AADSTS90002. */
export function tenantBound(handler: GrantHandler): TokenGrant {
  return (context) => {
    if (!context.tenant) return failWith(context, aadsts.tenantNotFound(context.tenantSegment));
    return handler({ ...context, tenant: context.tenant });
  };
}

/** Answer an Entra error for this request. */
export function failWith(context: Pick<TokenRequestContext, "request">, spec: EntraErrorSpec): Reply {
  return entraError(spec, context.request.correlation);
}

/** The successful token response (RFC 6749 §5.1 plus Entra's `ext_expires_in` and `refresh_in`). */
export function tokenResponse(
  context: Pick<TokenRequestContext, "request">,
  fields: { access_token: string; expires_in: number } & Record<string, unknown>,
): Reply {
  const { access_token, expires_in, ...rest } = fields;
  const body: Record<string, unknown> = { token_type: "Bearer", expires_in, ext_expires_in: expires_in };
  // Entra adds refresh_in (half the lifetime) to long-lived tokens; MSAL turns it into refreshOn.
  if (expires_in >= 7200) body["refresh_in"] = Math.floor(expires_in / 2);
  Object.assign(body, rest, { access_token });
  return jsonReply(200, body, entraHeaders(context.request.correlation));
}
