import { type EntraErrorSpec, entraError, entraHeaders } from "../errors.js";
import { jsonReply, type Reply } from "../http.js";
import type { EmulatorRequest, EmulatorState } from "../state.js";
import type { SeedTenant } from "../types.js";

/** What a grant module receives: the parsed form of a token request to a known tenant. */
export interface GrantContext {
  state: EmulatorState;
  request: EmulatorRequest;
  tenant: SeedTenant;
  /** The form body. */
  params: URLSearchParams;
}

/** One grant type's implementation. Register it in `token/endpoint.ts`. */
export type GrantHandler = (context: GrantContext) => Reply | Promise<Reply>;

/** Marker thrown (or returned) by the shared checks: an Entra error to answer with. */
export class EntraFailure {
  constructor(readonly spec: EntraErrorSpec) {}
}

/** Answer an Entra error for this request. */
export function failWith(context: GrantContext, spec: EntraErrorSpec): Reply {
  return entraError(spec, context.request.correlation);
}

/** The successful token response (RFC 6749 §5.1 plus Entra's `ext_expires_in` and `refresh_in`). */
export function tokenResponse(
  context: GrantContext,
  fields: { access_token: string; expires_in: number } & Record<string, unknown>,
): Reply {
  const { access_token, expires_in, ...rest } = fields;
  const body: Record<string, unknown> = { token_type: "Bearer", expires_in, ext_expires_in: expires_in };
  // Entra adds refresh_in (half the lifetime) to long-lived tokens; MSAL turns it into refreshOn.
  if (expires_in >= 7200) body["refresh_in"] = Math.floor(expires_in / 2);
  Object.assign(body, rest, { access_token });
  return jsonReply(200, body, entraHeaders(context.request.correlation));
}
