import { randomUUID } from "node:crypto";
import { flowErrors } from "../aadsts-flows.js";
import { graphAudienceFor } from "../clouds.js";
import { aadsts } from "../errors.js";
import { consentKeys, consentLines, parseDelegatedScopes } from "../flows/scopes.js";
import type { InteractionFlow } from "../flows/store.js";
import type { Reply } from "../http.js";
import {
  type EmulatorRequest,
  type EmulatorState,
  findApp,
  findTenant,
  findUser,
  tenantName,
} from "../state.js";
import { EntraFailure } from "../token/grant.js";
import type { SeedApp, SeedTenant, SeedUser } from "../types.js";
import { cspSource } from "./html.js";
import { confirmPage, consentPage, deviceDonePage, errorPage, signInPage } from "./pages.js";
import { redirectError, respondToClient } from "./redirect.js";
import { readSession } from "./session.js";

/** The request a page handler answers, and the emulator's state. */
export interface PageContext {
  state: EmulatorState;
  request: EmulatorRequest;
}

/** Who is signing in to what, once the user is known. */
interface Participants {
  tenant: SeedTenant;
  user: SeedUser;
  app: SeedApp;
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function flowPath(flow: InteractionFlow, endpoint: "login" | "consent"): string {
  return `/${encodeURIComponent(flow.tenantSegment)}/${endpoint}`;
}

function formTargets(flow: InteractionFlow): string[] {
  const source = flow.redirectUri ? cspSource(flow.redirectUri) : undefined;
  return source ? [source] : [];
}

/** The app's display name for pages (looked up in the flow's tenant, else anywhere). */
export function flowAppName(state: EmulatorState, flow: InteractionFlow): string {
  for (const tenant of state.seed.tenants) {
    const app = findApp(tenant, flow.clientId);
    if (app && (!flow.tenantId || tenant.id === flow.tenantId)) return app.displayName;
  }
  return flow.clientId;
}

/** The sign-in page of a flow. */
export function showSignIn(
  context: PageContext,
  flow: InteractionFlow,
  error?: string,
  username?: string,
): Reply {
  const name = username ?? flow.loginHint;
  return signInPage({
    action: flowPath(flow, "login"),
    flowId: flow.id,
    appName: flowAppName(context.state, flow),
    ...(name ? { username: name } : {}),
    ...(error ? { error } : {}),
    cancel: flow.kind === "device",
    formTargets: formTargets(flow),
    ...(flow.kind === "adminconsent" ? { heading: "Sign in with an administrator account" } : {}),
  });
}

/** A session cookie counts unless the flow forces a password, names another tenant, or needs an admin. */
function usableSession(context: PageContext, flow: InteractionFlow) {
  const session = readSession(context.state, context.request);
  if (!session) return undefined;
  if ((flow.prompt === "login" || flow.prompt === "select_account") && !flow.passwordChecked)
    return undefined;
  if (flow.tenantId && session.tenant.id !== flow.tenantId) return undefined;
  if (flow.kind === "adminconsent" && !session.user.isAdmin) return undefined;
  return session;
}

function consentKeysOf(
  context: PageContext,
  flow: InteractionFlow,
  who: Participants,
): string[] | EntraFailure {
  const graph = graphAudienceFor(context.request.hostname);
  const parsed = parseDelegatedScopes(context.state, flow.scopes, graph, tenantName(who.tenant));
  return parsed instanceof EntraFailure ? parsed : consentKeys(who.app, parsed);
}

function needsConsent(
  context: PageContext,
  flow: InteractionFlow,
  who: Participants,
): boolean | EntraFailure {
  if (flow.kind === "adminconsent") return !flow.consentAnswered;
  if (flow.prompt === "consent" && !flow.consentAnswered) return true;
  const keys = consentKeysOf(context, flow, who);
  if (keys instanceof EntraFailure) return keys;
  return !context.state.store.hasConsent(who.tenant.id, who.app.clientId, who.user.id, keys);
}

function adminConsentLines(app: SeedApp): string[] {
  const lines: string[] = [];
  for (const [resource, roles] of Object.entries(app.grants ?? {})) {
    for (const role of roles) lines.push(`${role} (application permission, ${resource})`);
  }
  for (const [resource, scopes] of Object.entries(app.delegatedPermissions ?? {})) {
    for (const scope of scopes) lines.push(`${scope} (delegated permission, ${resource})`);
  }
  return lines.length > 0 ? lines : ["Sign in and read user profile"];
}

function showConsent(context: PageContext, flow: InteractionFlow, who: Participants): Reply {
  let lines: string[];
  if (flow.kind === "adminconsent") lines = adminConsentLines(who.app);
  else {
    const graph = graphAudienceFor(context.request.hostname);
    const parsed = parseDelegatedScopes(context.state, flow.scopes, graph, tenantName(who.tenant));
    lines = parsed instanceof EntraFailure ? flow.scopes : consentLines(who.app, parsed);
  }
  return consentPage({
    action: flowPath(flow, "consent"),
    flowId: flow.id,
    appName: who.app.displayName,
    userName: who.user.userPrincipalName,
    lines,
    admin: flow.kind === "adminconsent",
    formTargets: formTargets(flow),
  });
}

function participants(context: PageContext, flow: InteractionFlow): Participants | EntraFailure {
  const tenant = findTenant(context.state.seed, flow.userTenantId ?? "");
  const user = tenant && findUser(tenant, flow.userId ?? "");
  if (!tenant || !user) return new EntraFailure(flowErrors.flowExpired());
  const app = findApp(tenant, flow.clientId);
  if (!app) return new EntraFailure(aadsts.appNotFound(flow.clientId, tenantName(tenant)));
  return { tenant, user, app };
}

/** Finish a flow: a code to the redirect URI, an approved device code, or recorded admin consent. */
function complete(
  context: PageContext,
  flow: InteractionFlow,
  who: Participants,
  headers: Record<string, string>,
): Reply {
  const { state } = context;
  state.store.interactions.delete(flow.id);
  if (flow.kind === "device") {
    const record = state.store.deviceByUserCode(flow.userCode ?? "");
    if (record?.status !== "pending" || state.now() > record.expiresAt) {
      return errorPage(flowErrors.deviceCodeExpired(), context.request.correlation);
    }
    Object.assign(record, { status: "approved", userId: who.user.id, userTenantId: who.tenant.id });
    return withHeaders(deviceDonePage(who.app.displayName, false), headers);
  }
  if (flow.kind === "adminconsent") {
    state.store.consent(who.tenant.id, who.app.clientId, undefined, []);
    return respondToClient(flow, { admin_consent: "True", tenant: who.tenant.id }, headers);
  }
  const record = state.store.addCode(
    {
      tenantId: who.tenant.id,
      clientId: who.app.clientId,
      userId: who.user.id,
      redirectUri: flow.redirectUri ?? "",
      scopes: flow.scopes,
      ...(flow.codeChallenge !== undefined ? { codeChallenge: flow.codeChallenge } : {}),
      ...(flow.codeChallengeMethod !== undefined ? { codeChallengeMethod: flow.codeChallengeMethod } : {}),
      ...(flow.nonce !== undefined ? { nonce: flow.nonce } : {}),
    },
    state.settings.authorizationCodeLifetimeSeconds * 1000,
  );
  return respondToClient(flow, { code: record.code, session_state: randomUUID() }, headers);
}

/**
 * Move a flow to its next step: sign-in (skipped with a valid session cookie), confirmation (device flows signed
 * in by cookie), consent (when not consented yet, or `prompt=consent`), then completion. `prompt=none` turns the
 * interactive steps into `login_required` / `consent_required` errors at the redirect URI.
 */
export function advance(
  context: PageContext,
  flow: InteractionFlow,
  headers: Record<string, string> = {},
): Reply {
  const correlation = context.request.correlation;
  if (!flow.userId) {
    const session = usableSession(context, flow);
    if (!session) {
      if (flow.prompt === "none") return redirectError(flow, flowErrors.loginRequired(), correlation);
      const signedIn = readSession(context.state, context.request)?.user.userPrincipalName;
      return showSignIn(context, flow, undefined, flow.loginHint ?? signedIn);
    }
    Object.assign(flow, { userId: session.user.id, userTenantId: session.tenant.id });
  }
  const who = participants(context, flow);
  if (who instanceof EntraFailure) return errorPage(who.spec, correlation);
  if (flow.kind === "device" && !flow.confirmed) {
    return confirmPage({
      action: flowPath(flow, "login"),
      flowId: flow.id,
      appName: who.app.displayName,
      userName: who.user.userPrincipalName,
    });
  }
  const consent = needsConsent(context, flow, who);
  if (consent instanceof EntraFailure) return errorPage(consent.spec, correlation);
  if (consent) {
    if (flow.prompt === "none") {
      return redirectError(
        flow,
        flowErrors.interactionConsentRequired(who.app.clientId, who.app.displayName),
        correlation,
      );
    }
    return withHeaders(showConsent(context, flow, who), headers);
  }
  return complete(context, flow, who, headers);
}

/** The user declined (consent Cancel, or Cancel on a device sign-in). */
export function decline(context: PageContext, flow: InteractionFlow): Reply {
  const { state, request } = context;
  state.store.interactions.delete(flow.id);
  if (flow.kind === "device") {
    const record = state.store.deviceByUserCode(flow.userCode ?? "");
    if (record?.status === "pending") record.status = "declined";
    return deviceDonePage(flowAppName(state, flow), true);
  }
  return redirectError(flow, flowErrors.userDeclinedConsent(), request.correlation, "cancel");
}

/** Record the consent the user (or admin) just accepted. */
export function recordConsent(context: PageContext, flow: InteractionFlow): EntraFailure | undefined {
  const who = participants(context, flow);
  if (who instanceof EntraFailure) return who;
  flow.consentAnswered = true;
  if (flow.kind === "adminconsent") return undefined;
  const keys = consentKeysOf(context, flow, who);
  if (keys instanceof EntraFailure) return keys;
  context.state.store.consent(who.tenant.id, who.app.clientId, who.user.id, keys);
  return undefined;
}
