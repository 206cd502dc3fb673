import { createWorkloadIdentityStrategy, FLOW_DISPLAY_NAMES } from "@msint/auth-core/internal";
import { AUTH_PARAMETERS, textParameter, validators } from "../parameters.js";
import { requireParameters, selfDeployedSettings } from "./shared.js";
import { authTypeIs, declaresExtension } from "./store.js";
import type { FlowDefinition } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * msint extension, Workload Identity: the client-credentials grant with a federated token (AKS workload
 * identity) as the client assertion. Every integration with Client Credentials has it.
 */
export const workloadIdentity: FlowDefinition = {
  id: "workload-identity",
  flow: "workload-identity",
  displayName: FLOW_DISPLAY_NAMES["workload-identity"],
  column: "msint extension",
  impliedBy: "clientCredentials",
  registration: "self-deployed",
  authType: "Workload Identity",
  delegated: false,
  supports: (manifest) =>
    manifest.flows.clientCredentials || declaresExtension(manifest, workloadIdentity.id),
  parameters: [p.tenant_id, p.auth_id, p.federated_token_file],
  select: { chosen: (context) => authTypeIs(context, workloadIdentity.authType) },
  createStrategy({ manifest, params, endpoints, transport, env }) {
    // The instance's parameters first, then the variables AKS workload identity injects into the pod.
    const tenantId = textParameter(params, "tenant_id") || env["AZURE_TENANT_ID"]?.trim() || "";
    const clientId = textParameter(params, "auth_id") || env["AZURE_CLIENT_ID"]?.trim() || "";
    const tokenFile =
      textParameter(params, "federated_token_file") || env["AZURE_FEDERATED_TOKEN_FILE"]?.trim() || "";
    requireParameters(
      "workload-identity",
      { tenant_id: tenantId, auth_id: clientId, federated_token_file: tokenFile },
      [p.tenant_id, p.auth_id, p.federated_token_file],
      true,
    );
    validators.tenant(tenantId, p.tenant_id);
    validators.guid(clientId, p.auth_id);
    p.federated_token_file.validate(tokenFile, p.federated_token_file);
    return createWorkloadIdentityStrategy({
      tenantId,
      clientId,
      tokenFilePath: tokenFile,
      loginHost: endpoints.loginHost,
      transport,
      commandPrefix: manifest.commandPrefix,
    });
  },
  plan: {
    settings: (manifest) => selfDeployedSettings(manifest, workloadIdentity.authType!),
    required: [],
    credential: false,
    optional: [p.tenant_id, p.auth_id, p.federated_token_file],
  },
  docs: {
    reference: (manifest) =>
      workloadIdentity.supports(manifest)
        ? `- msint extension, ${workloadIdentity.displayName}: \`auth_type="${workloadIdentity.authType}"\` with a federated token file (\`federated_token_file\` or \`AZURE_FEDERATED_TOKEN_FILE\`).`
        : undefined,
    extension: {
      summary:
        "the client-credentials grant (application permissions) with a federated token as the client credential",
      parameters:
        '`auth_type="Workload Identity"`; `tenant_id`, `auth_id`, `federated_token_file` or `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_FEDERATED_TOKEN_FILE` (AKS workload identity sets them)',
      credential:
        "`client_assertion` = the federated token, read from the file for every token request; `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`",
    },
  },
};
