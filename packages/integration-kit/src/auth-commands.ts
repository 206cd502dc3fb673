import {
  type ContextAccess,
  createLoginUrl,
  formatCommand,
  startDeviceCode,
  type Transport,
  toPendingDeviceCode,
} from "@msint/auth-core/internal";
import { consentScopesFor, type ResolvedEndpoints, requireParameters } from "./auth.js";
import type { IntegrationManifest, ResolvedParams } from "./manifest.js";
import { AUTH_PARAMETERS, textParameter, toBoolean } from "./parameters.js";
import type { CommandResult } from "./results.js";

/** The seed's security notice about device-code phishing, shown with every device code. */
export const DEVICE_CODE_NOTICE = [
  "> **Security awareness:** prefer the Client Credentials or Authorization Code flows where you can; the device code",
  "> flow offers limited protection against sophisticated phishing. No one will ever email you or otherwise ask you to",
  "> enter a security code or follow a link: the only genuine links and codes are the ones this command prints.",
].join("\n");

interface AuthCommandInput {
  manifest: IntegrationManifest;
  params: ResolvedParams;
  endpoints: ResolvedEndpoints;
  transport: Transport;
  access: ContextAccess;
  instance: string;
  now?: () => number;
}

/**
 * `<prefix>-generate-login-url`: the authorize URL of the instance's cloud with state and a PKCE challenge; the
 * verifier and state are kept in the integration context for the code's redemption in a later process.
 */
export async function generateLoginUrl(input: AuthCommandInput, consent: boolean): Promise<CommandResult> {
  const { manifest, params, endpoints, access, instance } = input;
  const p = AUTH_PARAMETERS;
  requireParameters("authorization-code", params, [p.tenant_id, p.auth_id, p.redirect_uri], true);
  const { url, pendingLogin } = createLoginUrl({
    loginHost: endpoints.loginHost,
    tenantId: textParameter(params, "tenant_id"),
    clientId: textParameter(params, "auth_id"),
    redirectUri: textParameter(params, "redirect_uri"),
    scopes: consentScopesFor(manifest, "authorization-code", params, endpoints),
    consent,
    now: input.now?.(),
  });
  await access.update((context) => ({ ...context, pendingLogin }));
  const prefix = manifest.commandPrefix;
  const readable = [
    "### Authorization instructions",
    `1. Click on the [login URL](${url}) to sign in and grant msint permissions for ${[manifest.resource, ...Object.values(manifest.additionalResources ?? {})].map((resource) => resource.displayName).join(" and ")}.`,
    "You will be automatically redirected to a link with the following structure:",
    "```REDIRECT_URI?code=AUTH_CODE&state=STATE&session_state=SESSION_STATE```",
    "2. Copy the `AUTH_CODE` (without the `code=` prefix and the other parameters), or simply the whole redirected URL,",
    "and paste it in your instance configuration under the **Authorization code** parameter:",
    `   msint instance set ${instance} --param auth_code='<code or redirected URL>'`,
    `3. Run **${formatCommand(`${prefix}-auth-test`)}**.`,
    consent
      ? ""
      : `If a command later says "Missing scope permissions on the request", run **${formatCommand(`${prefix}-generate-login-url`, { consent: "true" })}** to ask for consent again.`,
  ]
    .filter(Boolean)
    .join("\n");
  return { readable, outputsPrefix: "AuthorizationCode", outputs: { LoginUrl: url }, raw: { url } };
}

/** `<prefix>-auth-start`: starts a device-code sign-in and keeps only the device code in the context. */
export async function startDeviceAuthorization(input: AuthCommandInput): Promise<CommandResult> {
  const { manifest, params, endpoints, transport, access } = input;
  requireParameters("device-code", params, [AUTH_PARAMETERS.auth_id], toBoolean(params["self_deployed"]));
  const started = await startDeviceCode({
    loginHost: endpoints.loginHost,
    tenantId: textParameter(params, "tenant_id") || "organizations",
    clientId: textParameter(params, "auth_id"),
    scopes: consentScopesFor(manifest, "device-code", params, endpoints),
    transport,
  });
  // A new sign-in replaces every earlier token, refresh token and pending login of the instance.
  await access.update(() => ({ deviceCode: toPendingDeviceCode(started) }));
  const prefix = manifest.commandPrefix;
  const readable = [
    "### Authorization instructions",
    `1. To sign in, use a web browser to open the page [${started.verificationUri}](${started.verificationUri})`,
    `and enter the code **${started.userCode}** to authenticate.`,
    `2. Run **${formatCommand(`${prefix}-auth-complete`)}** (or **${formatCommand(`${prefix}-auth-complete`, { wait: "true" })}** to wait for the sign-in).`,
    "",
    DEVICE_CODE_NOTICE,
  ].join("\n");
  return {
    readable,
    outputsPrefix: "DeviceCode",
    outputs: {
      VerificationUri: started.verificationUri,
      UserCode: started.userCode,
      ExpiresAt: new Date(started.expiresAt).toISOString(),
    },
  };
}
