import {
  createClientCertificateStrategy,
  createClientSecretStrategy,
  FLOW_DISPLAY_NAMES,
} from "@msint/auth-core/internal";
import { AUTH_PARAMETERS } from "../parameters.js";
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
 * Client Credentials (application permissions): a self-deployed confidential client, with a client secret or a
 * certificate (thumbprint and private key; a signed client assertion is sent). The default self-deployed flow.
 */
export const clientCredentials: FlowDefinition = {
  id: "client-credentials",
  flow: "client-credentials",
  displayName: FLOW_DISPLAY_NAMES["client-credentials"],
  column: "clientCredentials",
  registration: "self-deployed",
  authType: "Client Credentials",
  delegated: false,
  supports: (manifest) => manifest.flows.clientCredentials,
  parameters: [p.tenant_id, p.auth_id, p.enc_key, p.certificate_thumbprint, p.private_key],
  select: {
    chosen: (context) => authTypeIs(context, clientCredentials.authType),
    fallback: () => true,
  },
  createStrategy({ manifest, params, endpoints, transport }) {
    requireParameters(
      "client-credentials",
      params,
      [p.tenant_id, p.auth_id, ...credentialParameters(params)],
      true,
    );
    const application = checkedApplication(params);
    const credential = confidentialCredential(params);
    const common = {
      ...application,
      loginHost: endpoints.loginHost,
      transport,
      commandPrefix: manifest.commandPrefix,
    };
    return credential.certificate
      ? createClientCertificateStrategy({ ...common, certificate: credential.certificate })
      : createClientSecretStrategy({ ...common, clientSecret: credential.clientSecret });
  },
  plan: {
    settings: (manifest) => selfDeployedSettings(manifest, clientCredentials.authType!),
    required: [p.tenant_id, p.auth_id],
    credential: true,
    optional: [],
  },
  docs: {
    reference: (manifest) =>
      manifest.flows.clientCredentials
        ? `- ${clientCredentials.displayName} (application permissions): \`auth_type="${clientCredentials.authType}"\`.`
        : undefined,
  },
};
