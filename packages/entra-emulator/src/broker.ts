import { createDecipheriv, randomUUID } from "node:crypto";
import { flowErrors } from "./aadsts-flows.js";
import { graphAudienceFor } from "./clouds.js";
import type { EntraErrorSpec } from "./errors.js";
import { jsonReply, type Reply } from "./http.js";
import type { Resource } from "./resources.js";
import { type EmulatorRequest, type EmulatorState, findApp, findTenant, findUser } from "./state.js";
import { EntraFailure, type TokenRequestContext } from "./token/grant.js";
import { lifecycleProblem } from "./token/refresh-token.js";
import { userTokenFields } from "./token/user-tokens.js";
import { appTokenClaims, mintAccessTokenAsync } from "./tokens.js";
import type { SeedApp, SeedBrokerRegistration, SeedTenant } from "./types.js";

export const BROKER_PATHS = new Set(["/obtain-token", "/broker/obtain-token"]);

/** Accepted distance between the token's timestamp and the broker's clock. */
const WINDOW_SECONDS = 300;

/** A broker error: `{ error, message }` with its status. */
class BrokerFailure {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly message: string,
  ) {}
}

function brokerReply(status: number, body: unknown): Reply {
  return jsonReply(status, body, { "function-execution-id": randomUUID().slice(0, 12) });
}

function fromEntra(spec: EntraErrorSpec): BrokerFailure {
  return new BrokerFailure(spec.status, spec.error, `AADSTS${spec.code}: ${spec.message}`);
}

interface BrokerRequest {
  appName: string;
  registrationId: string;
  encryptedToken: string;
  scope: string;
  resource: string;
}

function parseRequest(request: EmulatorRequest): BrokerRequest | BrokerFailure {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString("utf8"));
  } catch {
    body = undefined;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return new BrokerFailure(400, "invalid_request", "The request body must be a JSON object.");
  }
  const fields = body as Record<string, unknown>;
  for (const name of ["app_name", "registration_id", "encrypted_token"]) {
    if (typeof fields[name] !== "string" || fields[name] === "") {
      return new BrokerFailure(400, "invalid_request", `The field '${name}' is required.`);
    }
  }
  const text = (name: string) => (typeof fields[name] === "string" ? (fields[name] as string) : "");
  return {
    appName: text("app_name"),
    registrationId: text("registration_id"),
    encryptedToken: text("encrypted_token"),
    scope: text("scope"),
    resource: text("resource"),
  };
}

/** Decrypt base64(nonce12 ‖ ciphertext ‖ tag16) with AES-GCM (key size from the key) into `"<epoch>:<token>"`. */
export function decryptBrokerToken(keyBase64: string, encrypted: string): string | undefined {
  const key = Buffer.from(keyBase64, "base64");
  const data = Buffer.from(encrypted, "base64");
  if (![16, 24, 32].includes(key.length) || data.length < 12 + 16 + 1) return undefined;
  try {
    const decipher = createDecipheriv(
      `aes-${key.length * 8}-gcm` as "aes-256-gcm",
      key,
      data.subarray(0, 12),
    );
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    return undefined;
  }
}

function registrationOf(state: EmulatorState, parsed: BrokerRequest): SeedBrokerRegistration | BrokerFailure {
  const registration = (state.seed.brokerRegistrations ?? []).find(
    (entry) => entry.id === parsed.registrationId,
  );
  if (!registration) return new BrokerFailure(401, "invalid_registration", "Unknown registration ID.");
  if (registration.appName !== parsed.appName) {
    return new BrokerFailure(
      403,
      "app_mismatch",
      `The registration belongs to the app '${registration.appName}', not '${parsed.appName}'.`,
    );
  }
  return registration;
}

function tokenOf(
  state: EmulatorState,
  registration: SeedBrokerRegistration,
  encrypted: string,
): string | BrokerFailure {
  const plaintext = decryptBrokerToken(registration.key, encrypted);
  if (plaintext === undefined) {
    return new BrokerFailure(
      401,
      "decryption_failed",
      "The token could not be decrypted with the registration's key.",
    );
  }
  const colon = plaintext.indexOf(":");
  const timestamp = Number(plaintext.slice(0, colon));
  if (colon < 1 || !Number.isInteger(timestamp)) {
    return new BrokerFailure(
      400,
      "invalid_token_format",
      "The decrypted token must be '<epoch seconds>:<token>'.",
    );
  }
  if (Math.abs(state.now() / 1000 - timestamp) > WINDOW_SECONDS) {
    return new BrokerFailure(
      400,
      "invalid_timestamp",
      `The token's timestamp is outside the accepted window of ${WINDOW_SECONDS / 60} minutes; check the clock.`,
    );
  }
  return plaintext.slice(colon + 1);
}

/** The resource: `resource` if given, else `scope` (`graph`, or `<resource>/.default`), else Microsoft Graph. */
function resourceOf(
  state: EmulatorState,
  request: EmulatorRequest,
  parsed: BrokerRequest,
): { resource: Resource; audience: string } | BrokerFailure {
  const raw =
    parsed.resource || (parsed.scope.toLowerCase() === "graph" ? "" : (parsed.scope.split(/\s+/)[0] ?? ""));
  const audience = raw
    ? raw.replace(/\/\.default$/i, "").replace(/\/+$/, "")
    : graphAudienceFor(request.hostname);
  const resource = state.resources.byAudience(audience);
  if (!resource)
    return new BrokerFailure(400, "invalid_resource", `The resource '${audience}' is not known.`);
  return { resource, audience };
}

async function applicationToken(
  state: EmulatorState,
  request: EmulatorRequest,
  tenant: SeedTenant,
  app: SeedApp,
  target: { resource: Resource; audience: string },
): Promise<Reply> {
  const roles = app.grants?.[target.resource.key] ?? [];
  const lifetime = state.tokenLifetimeSeconds;
  const claims = appTokenClaims(tenant, app, target.audience, roles, "secret", request.hostname);
  const { token } = await mintAccessTokenAsync(state, claims, lifetime);
  return brokerReply(200, { access_token: token, expires_in: lifetime });
}

async function delegatedToken(
  context: TokenRequestContext & { tenant: SeedTenant },
  app: SeedApp,
  refreshToken: string,
  audience: string,
): Promise<Reply | BrokerFailure> {
  const record = context.state.store.refreshTokens.get(refreshToken);
  if (
    !record ||
    record.clientId.toLowerCase() !== app.clientId.toLowerCase() ||
    record.tenantId !== context.tenant.id
  ) {
    return fromEntra(flowErrors.malformedGrant());
  }
  const problem = lifecycleProblem(context, context.tenant, record);
  if (problem) return fromEntra(problem);
  const user = findUser(context.tenant, record.userId);
  if (!user || user.accountEnabled === false) return fromEntra(flowErrors.userDisabled());
  const fields = await userTokenFields(context, {
    tenant: context.tenant,
    app,
    user,
    scopes: [`${audience}/.default`, "offline_access"],
    credential: "secret",
    refresh: true,
    refreshScopes: record.scopes,
  });
  if (fields instanceof EntraFailure) return fromEntra(fields.spec);
  record.rotated = true;
  return brokerReply(200, {
    access_token: fields.access_token,
    expires_in: fields.expires_in,
    refresh_token: fields["refresh_token"],
  });
}

async function obtainToken(state: EmulatorState, request: EmulatorRequest): Promise<Reply | BrokerFailure> {
  const parsed = parseRequest(request);
  if (parsed instanceof BrokerFailure) return parsed;
  const registration = registrationOf(state, parsed);
  if (registration instanceof BrokerFailure) return registration;
  const token = tokenOf(state, registration, parsed.encryptedToken);
  if (token instanceof BrokerFailure) return token;
  const tenant = findTenant(state.seed, registration.tenantId);
  const app = tenant && findApp(tenant, registration.clientId);
  if (!tenant || !app)
    return new BrokerFailure(403, "invalid_registration", "The registration's app is not in its tenant.");
  const target = resourceOf(state, request, parsed);
  if (target instanceof BrokerFailure) return target;
  if (registration.kind === "application") {
    if (token.toLowerCase() !== tenant.id.toLowerCase()) {
      return new BrokerFailure(401, "invalid_token", "The token does not match the registration.");
    }
    return applicationToken(state, request, tenant, app, target);
  }
  const context = { state, request, params: new URLSearchParams(), tenantSegment: tenant.id, tenant };
  return delegatedToken(context, app, token, target.audience);
}

/**
 * The Cortex XSOAR application broker double (`POST /obtain-token`, `POST /broker/obtain-token`): decrypts the
 * client's AES-GCM token, checks its timestamp and the registration, and answers `{ access_token, expires_in,
 * refresh_token? }`; errors are `{ error, message }` with 400, 401 or 403.
 */
export async function handleBroker(state: EmulatorState, request: EmulatorRequest): Promise<Reply> {
  if (request.method !== "POST") {
    return brokerReply(405, { error: "method_not_allowed", message: "Use POST." });
  }
  const result = await obtainToken(state, request);
  if (!(result instanceof BrokerFailure)) return result;
  return brokerReply(result.status, { error: result.error, message: result.message });
}
