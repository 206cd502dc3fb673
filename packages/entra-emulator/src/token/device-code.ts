import { flowErrors } from "../aadsts-flows.js";
import { aadsts, type EntraErrorSpec } from "../errors.js";
import type { DeviceCodeRecord } from "../flows/store.js";
import type { Reply } from "../http.js";
import { findApp, findTenant } from "../state.js";
import type { SeedTenant } from "../types.js";
import { authenticateClient } from "./client-auth.js";
import { EntraFailure, failWith, type TokenGrant, type TokenRequestContext } from "./grant.js";
import { activeUser, hasOfflineAccess, tenantOfApp } from "./user-grant.js";
import { userTokenResponse } from "./user-tokens.js";

/** The device code and the field it came in: `device_code` (RFC 8628), or `code` (what XSOAR sends). */
function deviceCodeParameter(
  params: URLSearchParams,
): { value: string; field: "device_code" | "code" } | undefined {
  const standard = params.get("device_code");
  if (standard) return { value: standard, field: "device_code" };
  const legacy = params.get("code");
  return legacy ? { value: legacy, field: "code" } : undefined;
}

/** The tenant to authenticate the client in: the URL's, the approving user's, the device code's, or the app's. */
function clientTenant(context: TokenRequestContext, record: DeviceCodeRecord): SeedTenant | undefined {
  const { seed } = context.state;
  const id = record.userTenantId ?? record.tenantId;
  return context.tenant ?? (id ? findTenant(seed, id) : undefined) ?? tenantOfApp(seed, record.clientId);
}

/** RFC 8628 §3.5: polling faster than the interval answers `slow_down` and adds 5 s (when the option is on). */
function pollProblem(context: TokenRequestContext, record: DeviceCodeRecord): EntraErrorSpec {
  const now = context.state.now();
  const tooFast = record.lastPollAt !== undefined && now - record.lastPollAt < record.interval * 1000;
  record.lastPollAt = now;
  if (context.state.settings.deviceCodeSlowDown && tooFast) {
    record.interval += 5;
    return flowErrors.slowDown(record.interval);
  }
  return flowErrors.authorizationPending();
}

function statusProblem(context: TokenRequestContext, record: DeviceCodeRecord): EntraErrorSpec | undefined {
  if (record.status === "redeemed") return flowErrors.deviceCodeRedeemed();
  if (context.state.now() > record.expiresAt) return flowErrors.deviceCodeExpired();
  if (record.status === "declined") return flowErrors.deviceCodeDeclined();
  if (record.status === "pending") return pollProblem(context, record);
  return undefined;
}

async function issue(
  context: TokenRequestContext,
  record: DeviceCodeRecord,
  credential: "none" | "secret" | "certificate",
): Promise<Reply> {
  const tenant = findTenant(context.state.seed, record.userTenantId ?? "");
  const app = tenant && findApp(tenant, record.clientId);
  if (!tenant || !app) return failWith(context, flowErrors.malformedGrant());
  const user = activeUser(tenant, record.userId ?? "");
  if (user instanceof EntraFailure) return failWith(context, user.spec);
  record.status = "redeemed";
  return userTokenResponse(context, {
    tenant,
    app,
    user,
    scopes: record.scopes,
    credential,
    refresh: hasOfflineAccess(record.scopes),
    refreshScopes: record.scopes,
  });
}

/**
 * `grant_type=device_code` (or the RFC 8628 URN): poll for a device authorization. Pending → 400
 * `authorization_pending` (AADSTS70016); then tokens once; later polls → `invalid_grant` AADSTS90120.
 */
export const deviceCodeGrant: TokenGrant = async (context) => {
  const { params, state } = context;
  const clientId = params.get("client_id");
  if (!clientId) return failWith(context, aadsts.missingParameter("client_id"));
  const code = deviceCodeParameter(params);
  if (!code) return failWith(context, aadsts.missingParameter("device_code"));
  context.request.record.deviceCodeField = code.field;
  const record = state.store.deviceCodes.get(code.value);
  const tenant = record
    ? clientTenant(context, record)
    : (context.tenant ?? tenantOfApp(state.seed, clientId));
  if (!tenant) return failWith(context, aadsts.appNotFound(clientId, context.tenantSegment));
  const client = authenticateClient(context, tenant, { requireCredential: true, publicClientFlow: true });
  if (client instanceof EntraFailure) return failWith(context, client.spec);
  if (!record || record.clientId.toLowerCase() !== client.app.clientId.toLowerCase()) {
    return failWith(context, flowErrors.badVerificationCode());
  }
  const problem = statusProblem(context, record);
  if (problem) return failWith(context, problem);
  return issue(context, record, client.credential);
};
