import { flowErrors } from "../aadsts-flows.js";
import { graphAudienceFor } from "../clouds.js";
import { aadsts, type EntraErrorSpec } from "../errors.js";
import { parseDelegatedScopes, scopeList } from "../flows/scopes.js";
import type { InteractionFlow } from "../flows/store.js";
import type { Reply } from "../http.js";
import { findApp, findTenant, isMultiTenantSegment, tenantName } from "../state.js";
import { EntraFailure } from "../token/grant.js";
import { tenantOfApp } from "../token/user-grant.js";
import type { SeedApp, SeedTenant } from "../types.js";
import { advance, type PageContext } from "./interaction.js";
import { errorPage } from "./pages.js";
import { redirectError } from "./redirect.js";
import { resolveRedirectUri } from "./redirect-uri.js";

const RESPONSE_MODES = new Set(["query", "fragment", "form_post"]);
const PROMPTS = new Set(["login", "consent", "none", "select_account"]);

/** The app a sign-in URL names, in the URL's tenant (or, for `organizations`/`common`, wherever it is registered). */
export function appOfRequest(
  context: PageContext,
  segment: string,
  clientId: string | null,
): { tenant: SeedTenant | undefined; app: SeedApp } | EntraErrorSpec {
  const multi = isMultiTenantSegment(segment);
  const tenant = multi ? undefined : findTenant(context.state.seed, segment);
  if (!multi && !tenant) return aadsts.tenantNotFound(segment);
  if (!clientId) return aadsts.missingParameter("client_id");
  const appTenant = tenant ?? tenantOfApp(context.state.seed, clientId);
  const app = appTenant && findApp(appTenant, clientId);
  if (!app) return aadsts.appNotFound(clientId, tenant ? tenantName(tenant) : segment);
  return { tenant, app };
}

function pkceProblem(query: URLSearchParams): EntraErrorSpec | undefined {
  const challenge = query.get("code_challenge");
  const method = query.get("code_challenge_method");
  if (!challenge) return method ? aadsts.missingParameter("code_challenge") : undefined;
  if (method && method !== "S256" && method !== "plain") {
    return aadsts.invalidParameter("code_challenge_method", "Supported values are 'S256' and 'plain'.");
  }
  const valid = method === "S256" ? /^[A-Za-z0-9_-]{43}$/ : /^[A-Za-z0-9._~-]{43,128}$/;
  return valid.test(challenge) ? undefined : flowErrors.invalidCodeChallenge();
}

/** Errors after the redirect URI is known (sent to it): response type and mode, scope, PKCE, prompt. */
function requestProblem(
  context: PageContext,
  query: URLSearchParams,
  tenant: SeedTenant,
): EntraErrorSpec | undefined {
  const responseType = query.get("response_type");
  if (!responseType) return aadsts.missingParameter("response_type");
  if (responseType !== "code") return flowErrors.unsupportedResponseType(responseType);
  const mode = query.get("response_mode");
  if (mode && !RESPONSE_MODES.has(mode)) {
    return aadsts.invalidParameter(
      "response_mode",
      "Supported values are 'query', 'fragment' and 'form_post'.",
    );
  }
  const scopes = scopeList(query.get("scope"));
  if (scopes.length === 0) return aadsts.missingParameter("scope");
  const graph = graphAudienceFor(context.request.hostname);
  const parsed = parseDelegatedScopes(context.state, scopes, graph, tenantName(tenant));
  if (parsed instanceof EntraFailure) return parsed.spec;
  const prompt = query.get("prompt");
  if (prompt && !PROMPTS.has(prompt)) {
    return aadsts.invalidParameter(
      "prompt",
      "Supported values are 'login', 'consent', 'none' and 'select_account'.",
    );
  }
  return pkceProblem(query);
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** The flow of a checked /authorize request. */
function authorizeFlow(
  segment: string,
  tenant: SeedTenant | undefined,
  app: SeedApp,
  query: URLSearchParams,
  redirectUri: string,
) {
  const challenge = query.get("code_challenge");
  const flow: Omit<InteractionFlow, "id" | "createdAt"> = {
    kind: "authorize",
    tenantSegment: segment,
    ...(tenant ? { tenantId: tenant.id } : {}),
    clientId: app.clientId,
    scopes: scopeList(query.get("scope")),
    redirectUri,
    responseMode: (query.get("response_mode") ?? "query") as InteractionFlow["responseMode"] & string,
    ...optional("state", query.get("state")),
    ...optional("loginHint", query.get("login_hint")),
    ...optional("prompt", query.get("prompt")),
    ...optional("nonce", query.get("nonce")),
    ...(challenge
      ? {
          codeChallenge: challenge,
          codeChallengeMethod: (query.get("code_challenge_method") ?? "plain") as "S256" | "plain",
        }
      : {}),
  };
  return flow;
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize`: check the request (errors before the redirect URI is trusted are shown as
 * a page; later ones go to the redirect URI), then sign-in, consent, and a code sent to the redirect URI.
 */
export function handleAuthorize(context: PageContext, segment: string): Reply {
  const query = context.request.url.searchParams;
  const correlation = context.request.correlation;
  const found = appOfRequest(context, segment, query.get("client_id"));
  if ("code" in found) return errorPage(found, correlation);
  const redirectUri = resolveRedirectUri(found.app, query.get("redirect_uri"));
  if (typeof redirectUri !== "string") return errorPage(redirectUri, correlation);
  const flow = authorizeFlow(segment, found.tenant, found.app, query, redirectUri);
  const homeTenant = found.tenant ?? tenantOfApp(context.state.seed, found.app.clientId)!;
  const problem = requestProblem(context, query, homeTenant);
  if (problem) {
    const mode = RESPONSE_MODES.has(query.get("response_mode") ?? "") ? flow.responseMode : "query";
    return redirectError({ ...flow, responseMode: mode, id: "", createdAt: 0 }, problem, correlation);
  }
  return advance(context, context.state.store.addInteraction(flow));
}

/**
 * `GET /{tenant}/adminconsent?client_id&redirect_uri&state`: an administrator signs in and grants the app's
 * permissions for the whole tenant; then `redirect_uri?admin_consent=True&tenant=<tid>&state=…`.
 */
export function handleAdminConsent(context: PageContext, segment: string): Reply {
  const query = context.request.url.searchParams;
  const correlation = context.request.correlation;
  const found = appOfRequest(context, segment, query.get("client_id"));
  if ("code" in found) return errorPage(found, correlation);
  const redirectUri = resolveRedirectUri(found.app, query.get("redirect_uri"));
  if (typeof redirectUri !== "string") return errorPage(redirectUri, correlation);
  const flow = context.state.store.addInteraction({
    kind: "adminconsent",
    tenantSegment: segment,
    ...(found.tenant ? { tenantId: found.tenant.id } : {}),
    clientId: found.app.clientId,
    scopes: [],
    redirectUri,
    responseMode: "query",
    ...optional("state", query.get("state")),
    ...optional("loginHint", query.get("login_hint")),
  });
  return advance(context, flow);
}
