import { createHash, timingSafeEqual } from "node:crypto";
import { aadsts } from "./errors.js";
import { jsonReply, type Reply } from "./http.js";
import { type EmulatorRequest, type EmulatorState, findTenant, stableGuid, tenantName } from "./state.js";
import { mintAccessTokenAsync, v1Issuer } from "./tokens.js";
import type { SeedManagedIdentity } from "./types.js";

export const IMDS_PATH = "/metadata/identity/oauth2/token";
export const APP_SERVICE_PATH = "/msi/token";

/** A failed managed-identity request: status and message, shaped per endpoint by the caller. */
class MiFailure {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly message: string,
  ) {}
}

function failure(status: number, error: string, message: string): MiFailure {
  return new MiFailure(status, error, message);
}

/** The identity's client ID (derived for a system-assigned identity seeded without one). */
export function identityClientId(identity: SeedManagedIdentity): string {
  return identity.clientId ?? stableGuid(`managed-identity:${identity.principalId.toLowerCase()}`);
}

/** Which identity a request names: by client ID, object ID or resource ID; else the system-assigned one. */
function selectIdentity(
  state: EmulatorState,
  query: URLSearchParams,
  resourceIdParameter: "msi_res_id" | "mi_res_id",
): SeedManagedIdentity | MiFailure {
  const identities = state.seed.managedIdentities ?? [];
  const clientId = query.get("client_id");
  const objectId = query.get("object_id") ?? query.get("principal_id");
  const resourceId = query.get(resourceIdParameter);
  const given = [clientId, objectId, resourceId].filter(Boolean).length;
  if (given > 1) {
    return failure(
      400,
      "invalid_request",
      `Only one of client_id, object_id or ${resourceIdParameter} may be given`,
    );
  }
  const lower = (value: string | undefined) => value?.toLowerCase();
  const found = clientId
    ? identities.find((identity) => lower(identityClientId(identity)) === clientId.toLowerCase())
    : objectId
      ? identities.find((identity) => lower(identity.principalId) === objectId.toLowerCase())
      : resourceId
        ? identities.find((identity) => lower(identity.resourceId) === resourceId.toLowerCase())
        : defaultIdentity(identities);
  return found ?? failure(400, "invalid_request", "Identity not found");
}

function defaultIdentity(identities: SeedManagedIdentity[]): SeedManagedIdentity | MiFailure | undefined {
  const system = identities.find((identity) => identity.systemAssigned);
  if (system) return system;
  if (identities.length > 1) {
    return failure(
      400,
      "invalid_request",
      "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
    );
  }
  return identities[0];
}

/** The token for an identity and resource, with IMDS's string-typed times. */
async function identityToken(
  state: EmulatorState,
  identity: SeedManagedIdentity,
  resourceParameter: string,
): Promise<Record<string, string> | MiFailure> {
  const tenant = findTenant(state.seed, identity.tenantId);
  if (!tenant) return failure(400, "invalid_request", "Identity not found");
  const resource = state.resources.byAudience(resourceParameter);
  if (!resource) {
    const spec = aadsts.resourceNotFound(resourceParameter, tenantName(tenant));
    return failure(400, "invalid_resource", `AADSTS${spec.code}: ${spec.message}`);
  }
  const clientId = identityClientId(identity);
  const roles = identity.grants?.[resource.key] ?? [];
  const lifetime = state.settings.managedIdentityTokenLifetimeSeconds;
  const { token, claims } = await mintAccessTokenAsync(
    state,
    {
      aud: resourceParameter,
      appid: clientId,
      appidacr: "2",
      idp: v1Issuer(tenant.id),
      idtyp: "app",
      oid: identity.principalId,
      ...(roles.length > 0 ? { roles: [...roles] } : {}),
      sub: identity.principalId,
      tid: tenant.id,
      ...(identity.resourceId ? { xms_mirid: identity.resourceId } : {}),
    },
    lifetime,
  );
  return {
    access_token: token,
    client_id: clientId,
    expires_in: String(lifetime),
    expires_on: String(claims.exp),
    ext_expires_in: String(lifetime),
    not_before: String(claims.nbf),
    resource: resourceParameter,
    token_type: "Bearer",
  };
}

function imdsError(failed: MiFailure): Reply {
  return jsonReply(failed.status, { error: failed.error, error_description: failed.message });
}

/**
 * IMDS `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…[&client_id|object_id|msi_res_id]`
 * with `Metadata: true`. Times in the answer are strings, as IMDS sends them.
 */
export async function handleImds(state: EmulatorState, request: EmulatorRequest): Promise<Reply> {
  if (request.method !== "GET")
    return imdsError(failure(405, "invalid_request", "The request method is not supported"));
  if ((request.headers["metadata"] ?? "").toLowerCase() !== "true") {
    return imdsError(failure(400, "invalid_request", "Required metadata header not specified"));
  }
  const query = request.url.searchParams;
  if (!query.get("api-version")) {
    return imdsError(failure(400, "invalid_request", "Required query variable 'api-version' is missing"));
  }
  const resource = query.get("resource");
  if (!resource)
    return imdsError(failure(400, "invalid_request", "Required query variable 'resource' is missing"));
  const identity = selectIdentity(state, query, "msi_res_id");
  if (identity instanceof MiFailure) return imdsError(identity);
  const answer = await identityToken(state, identity, resource);
  return answer instanceof MiFailure ? imdsError(answer) : jsonReply(200, answer);
}

function appServiceError(failed: MiFailure, request: EmulatorRequest): Reply {
  return jsonReply(failed.status, {
    statusCode: failed.status,
    message: failed.message,
    correlationId: request.correlation.traceId,
  });
}

function headerMatches(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * App Service / Functions `GET /msi/token?api-version=2019-08-01&resource=…[&client_id|object_id|mi_res_id]` with
 * `X-IDENTITY-HEADER` = the emulator's `identityHeader`.
 */
export async function handleAppService(state: EmulatorState, request: EmulatorRequest): Promise<Reply> {
  const secret = request.headers["x-identity-header"];
  if (!secret) return appServiceError(failure(400, "", "The X-IDENTITY-HEADER header is required."), request);
  if (!headerMatches(secret, state.settings.identityHeader)) {
    return appServiceError(
      failure(401, "", "The X-IDENTITY-HEADER header does not match IDENTITY_HEADER."),
      request,
    );
  }
  const query = request.url.searchParams;
  const resource = query.get("resource");
  if (!query.get("api-version") || !resource) {
    return appServiceError(
      failure(400, "", "The api-version and resource query parameters are required."),
      request,
    );
  }
  const identity = selectIdentity(state, query, "mi_res_id");
  if (identity instanceof MiFailure) {
    return appServiceError(failure(400, "", "Unable to load the proper Managed Identity."), request);
  }
  const answer = await identityToken(state, identity, resource);
  if (answer instanceof MiFailure) return appServiceError(answer, request);
  const { ext_expires_in: _unused, ...body } = answer;
  return jsonReply(200, body);
}
