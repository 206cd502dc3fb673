import { graphAudienceFor } from "../clouds.js";
import { aadsts, entraError, entraHeaders } from "../errors.js";
import { parseDelegatedScopes, scopeList } from "../flows/scopes.js";
import { jsonReply, type Reply } from "../http.js";
import {
  type EmulatorRequest,
  type EmulatorState,
  findApp,
  findTenant,
  isMultiTenantSegment,
  tenantName,
} from "../state.js";
import { parseTokenForm } from "./endpoint.js";
import { EntraFailure } from "./grant.js";
import { tenantOfApp } from "./user-grant.js";

/**
 * `POST /{tenant}/oauth2/v2.0/devicecode` (RFC 8628 §3.1): `client_id` and `scope` in, a device code, a 9-character
 * user code and the verification URI (`<origin>/devicelogin`) out.
 */
export function handleDeviceAuthorization(
  state: EmulatorState,
  request: EmulatorRequest,
  segment: string,
): Reply {
  const correlation = request.correlation;
  if (request.method !== "POST") return entraError(aadsts.postOnly(request.method), correlation);
  const multi = isMultiTenantSegment(segment);
  const tenant = multi ? undefined : findTenant(state.seed, segment);
  if (!multi && !tenant) return entraError(aadsts.tenantNotFound(segment), correlation);
  const params = parseTokenForm(request);
  const clientId = params.get("client_id");
  if (!clientId) return entraError(aadsts.missingParameter("client_id"), correlation);
  const appTenant = tenant ?? tenantOfApp(state.seed, clientId);
  if (!appTenant || !findApp(appTenant, clientId)) {
    return entraError(aadsts.appNotFound(clientId, tenant ? tenantName(tenant) : segment), correlation);
  }
  const scopes = scopeList(params.get("scope"));
  if (scopes.length === 0) return entraError(aadsts.missingParameter("scope"), correlation);
  const parsed = parseDelegatedScopes(
    state,
    scopes,
    graphAudienceFor(request.hostname),
    tenantName(appTenant),
  );
  if (parsed instanceof EntraFailure) return entraError(parsed.spec, correlation);
  const record = state.store.addDeviceCode(
    {
      tenantSegment: segment,
      ...(tenant ? { tenantId: tenant.id } : {}),
      clientId,
      scopes,
      interval: state.settings.deviceCodeIntervalSeconds,
    },
    state.settings.deviceCodeLifetimeSeconds,
  );
  const verificationUri = `${request.origin}/devicelogin`;
  return jsonReply(
    200,
    {
      user_code: record.userCode,
      device_code: record.deviceCode,
      verification_uri: verificationUri,
      expires_in: state.settings.deviceCodeLifetimeSeconds,
      interval: record.interval,
      message:
        `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${record.userCode} ` +
        "to authenticate.",
    },
    entraHeaders(correlation),
  );
}
