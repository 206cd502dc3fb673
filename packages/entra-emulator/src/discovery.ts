import { cloudOfHost, discoveryHosts } from "./clouds.js";
import { aadsts, entraError } from "./errors.js";
import { jsonReply, type Reply } from "./http.js";
import {
  type EmulatorRequest,
  type EmulatorState,
  findTenant,
  MULTI_TENANT_SEGMENTS as MULTI_TENANT,
} from "./state.js";

function cacheHeaders(): Record<string, string> {
  return { "cache-control": "max-age=86400, private", "access-control-allow-origin": "*" };
}

/**
 * `GET /{tenant}/v2.0/.well-known/openid-configuration`. The issuer is `<origin used>/{tid}/v2.0` (the emulator's
 * origin, or e.g. `https://login.microsoftonline.us` through the proxy), so the document obeys OpenID Connect
 * Discovery (issuer = the URL the document was fetched under, minus the well-known suffix). Access tokens still carry Entra's v1 issuer `https://sts.windows.net/{tid}/`, like
 * real Graph/ARM tokens. Multi-tenant segments answer with the `{tenantid}` template, as Entra does.
 */
export function handleOpenIdConfiguration(
  state: EmulatorState,
  request: EmulatorRequest,
  segment: string,
): Reply {
  const multi = MULTI_TENANT.has(segment.toLowerCase());
  const tenant = multi ? undefined : findTenant(state.seed, segment);
  if (!multi && !tenant)
    return entraError(aadsts.tenantNotFound(segment, "invalid_tenant"), request.correlation);
  const pathTenant = tenant ? tenant.id : segment.toLowerCase();
  const issuerTenant = tenant ? tenant.id : "{tenantid}";
  const origin = request.origin;
  const base = `${origin}/${pathTenant}`;
  const host = new URL(origin).host;
  const cloud = cloudOfHost(request.hostname) ? discoveryHosts(request.hostname) : undefined;
  const document = {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${origin}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "cloud_instance_name",
      "cloud_instance_host_name",
      "cloud_graph_host_name",
      "msgraph_host",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "acr",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "ver",
      "at_hash",
      "c_hash",
      "email",
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "NA",
    cloud_instance_name: cloud?.cloudInstanceName ?? host,
    cloud_graph_host_name: cloud?.aadGraphHost ?? host,
    msgraph_host: cloud?.graphHost ?? host,
    rbac_url: cloud ? "https://pas.windows.net" : origin,
  };
  return jsonReply(200, document, cacheHeaders());
}

/** `GET /{tenant}/discovery/v2.0/keys` (and the v1 `/discovery/keys`): the signing key as a JWKS. */
export function handleJwks(state: EmulatorState, request: EmulatorRequest, segment: string): Reply {
  const tenant = findTenant(state.seed, segment);
  if (!tenant && !MULTI_TENANT.has(segment.toLowerCase())) {
    return entraError(aadsts.tenantNotFound(segment, "invalid_tenant"), request.correlation);
  }
  const issuer = `${request.origin}/${tenant ? tenant.id : "{tenantid}"}/v2.0`;
  const keys = [state.key, ...state.previousKeys].map((key) => ({ ...key.jwk, issuer }));
  return jsonReply(200, { keys }, cacheHeaders());
}
