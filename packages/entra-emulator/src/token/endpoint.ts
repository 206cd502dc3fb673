import { aadsts, entraError } from "../errors.js";
import { isFormContentType, type Reply } from "../http.js";
import { type EmulatorRequest, type EmulatorState, findTenant } from "../state.js";
import { clientCredentialsGrant } from "./client-credentials.js";
import type { GrantHandler } from "./grant.js";

/**
 * Grant modules by `grant_type`. Later grants (authorization_code, refresh_token, device_code, jwt-bearer,
 * broker) drop in here, each as its own module.
 */
const GRANTS = new Map<string, GrantHandler>([["client_credentials", clientCredentialsGrant]]);

/** Parse the form body of a token request (anything else counts as an empty form, as Entra does). */
export function parseTokenForm(request: Pick<EmulatorRequest, "headers" | "body">): URLSearchParams {
  if (!isFormContentType(request.headers["content-type"])) return new URLSearchParams();
  return new URLSearchParams(request.body.toString("utf8"));
}

/** `POST /{tenant}/oauth2/v2.0/token`: tenant, then grant type, then the grant module. */
export async function handleTokenRequest(
  state: EmulatorState,
  request: EmulatorRequest,
  tenantSegment: string,
): Promise<Reply> {
  const correlation = request.correlation;
  if (request.method !== "POST") return entraError(aadsts.postOnly(request.method), correlation);
  const tenant = findTenant(state.seed, tenantSegment);
  if (!tenant) return entraError(aadsts.tenantNotFound(tenantSegment), correlation);
  const params = parseTokenForm(request);
  const grantType = params.get("grant_type");
  if (!grantType) return entraError(aadsts.missingParameter("grant_type"), correlation);
  const grant = GRANTS.get(grantType);
  if (!grant) return entraError(aadsts.unsupportedGrantType(grantType), correlation);
  return grant({ state, request, tenant, params });
}
