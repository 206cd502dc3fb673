import { aadsts, entraError } from "../errors.js";
import { isFormContentType, type Reply } from "../http.js";
import { type EmulatorRequest, type EmulatorState, findTenant, isMultiTenantSegment } from "../state.js";
import { authorizationCodeGrant } from "./authorization-code.js";
import { clientCredentialsGrant } from "./client-credentials.js";
import { deviceCodeGrant } from "./device-code.js";
import { type TokenGrant, tenantBound } from "./grant.js";
import { refreshTokenGrant } from "./refresh-token.js";

/**
 * The grant modules by `grant_type`: the one place a grant is added. Grants wrapped in `tenantBound` need a
 * tenant-specific URL; the others also work on `/organizations` and `/common` (the tenant comes from the grant).
 */
const GRANTS = new Map<string, TokenGrant>([
  ["client_credentials", tenantBound(clientCredentialsGrant)],
  ["authorization_code", authorizationCodeGrant],
  ["refresh_token", refreshTokenGrant],
  ["device_code", deviceCodeGrant],
  ["urn:ietf:params:oauth:grant-type:device_code", deviceCodeGrant],
]);

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
  const multi = isMultiTenantSegment(tenantSegment);
  const tenant = multi ? undefined : findTenant(state.seed, tenantSegment);
  if (!multi && !tenant) return entraError(aadsts.tenantNotFound(tenantSegment), correlation);
  const params = parseTokenForm(request);
  const grantType = params.get("grant_type");
  if (!grantType) return entraError(aadsts.missingParameter("grant_type"), correlation);
  const grant = GRANTS.get(grantType);
  if (!grant) return entraError(aadsts.unsupportedGrantType(grantType), correlation);
  return grant({ state, request, tenant, tenantSegment, params });
}
