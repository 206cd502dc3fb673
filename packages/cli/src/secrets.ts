import { getRedactor } from "@msint/auth-core";
import {
  type InstanceDocument,
  type Integration,
  resolveParameterValues,
  selectFlow,
} from "@msint/integration-kit";

/** Environment variables whose values are secrets wherever they show up (App Service identity, store key). */
const SECRET_VARIABLES = ["IDENTITY_HEADER", "MSI_SECRET", "MSINT_STORE_KEY"] as const;

/** XSOAR's testing hook: an Authorization code of `refresh_token:<rt>` is a refresh token. */
const REFRESH_TOKEN_HOOK = /^\s*refresh_token:/i;

/**
 * Registers every secret this process knows with the process-wide redactor before a command runs, so no error
 * message or log line can repeat one, even when a server echoes it: the instance's secret parameters (Client
 * Secret, Private Key, Authorization code and the refresh token of its `refresh_token:` hook, the broker's Key
 * and Token), what its context holds (refresh token, cached access tokens, PKCE verifier, device code) and the
 * secret environment variables. Tenant ID is one only when it holds the broker's Token: a self-deployed
 * instance's tenant ID appears in login URLs and messages on purpose.
 */
export function registerSecrets(
  integration: Integration | undefined,
  document: InstanceDocument | undefined,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const redactor = getRedactor();
  for (const name of SECRET_VARIABLES) redactor.add(env[name]);
  if (!integration || !document) return;
  let params: Record<string, string | boolean | undefined> = document.params;
  try {
    params = resolveParameterValues(integration.parameters, document.params, env);
  } catch {
    // Unresolvable parameters fail the command before anything is sent; the stored values are still known.
  }
  let selfDeployed = true;
  try {
    selfDeployed = selectFlow(integration.manifest, params).selfDeployed;
  } catch {
    // An unsupported flow: nothing will be sent.
  }
  for (const definition of integration.parameters) {
    if (definition.type !== "secret") continue;
    if (definition.key === "tenant_id" && selfDeployed) continue;
    const value = params[definition.key];
    if (typeof value !== "string") continue;
    redactor.add(value.trim());
    if (REFRESH_TOKEN_HOOK.test(value)) redactor.add(value.replace(REFRESH_TOKEN_HOOK, "").trim());
  }
  const context = document.context ?? {};
  redactor.add(context.refreshToken);
  redactor.add(context.pendingLogin?.codeVerifier);
  redactor.add(context.deviceCode?.deviceCode);
  for (const token of Object.values(context.tokens ?? {})) redactor.add(token.accessToken);
}

/** A message made safe to print: every registered secret replaced. */
export function redactMessage(message: string): string {
  return getRedactor().redact(message);
}
