import { createAuthorizationCodeStrategy, FLOW_DISPLAY_NAMES } from "@msint/auth-core/internal";
import { AUTH_PARAMETERS, textParameter } from "../parameters.js";
import {
  checkedApplication,
  confidentialCredential,
  credentialParameters,
  requireParameters,
  selfDeployedSettings,
} from "./shared.js";
import { authTypeIs } from "./store.js";
import type { FlowDefinition } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * Authorization Code (delegated): a self-deployed confidential client redeems the code of a browser sign-in at
 * its redirect URI. Chosen by Authentication Type, or inferred when a redirect URI and a code are both set.
 */
export const authorizationCode: FlowDefinition = {
  id: "authorization-code",
  flow: "authorization-code",
  displayName: FLOW_DISPLAY_NAMES["authorization-code"],
  column: "authorizationCode",
  registration: "self-deployed",
  authType: "Authorization Code",
  delegated: true,
  supports: (manifest) => manifest.flows.authorizationCode,
  // The certificate pair is declared by Client Credentials; an integration with Authorization Code alone has
  // only the client secret (as before the registry).
  parameters: [p.tenant_id, p.auth_id, p.enc_key, p.redirect_uri, p.auth_code],
  select: {
    chosen: (context) => authTypeIs(context, authorizationCode.authType),
    inferred: (context) => Boolean(context.params["redirect_uri"] && context.params["auth_code"]),
    fallback: () => true,
  },
  createStrategy({ manifest, params, endpoints, transport }) {
    requireParameters(
      "authorization-code",
      params,
      [p.tenant_id, p.auth_id, ...credentialParameters(params), p.redirect_uri],
      true,
    );
    return createAuthorizationCodeStrategy({
      ...checkedApplication(params),
      ...confidentialCredential(params),
      redirectUri: textParameter(params, "redirect_uri"),
      authCode: textParameter(params, "auth_code"),
      loginHost: endpoints.loginHost,
      transport,
      commandPrefix: manifest.commandPrefix,
    });
  },
  plan: {
    settings: (manifest) => selfDeployedSettings(manifest, authorizationCode.authType!),
    required: [p.tenant_id, p.auth_id, p.redirect_uri],
    credential: true,
    optional: [p.auth_code],
  },
  docs: {
    reference: (manifest) =>
      manifest.flows.authorizationCode
        ? `- ${authorizationCode.displayName} (delegated permissions): \`auth_type="${authorizationCode.authType}"\` with a redirect URI, then \`-generate-login-url\`.`
        : undefined,
  },
};
