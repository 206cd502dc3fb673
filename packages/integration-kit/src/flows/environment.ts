import { createEnvironmentStrategy, FLOW_DISPLAY_NAMES } from "@msint/auth-core/internal";
import { selfDeployedSettings } from "./shared.js";
import { authTypeIs, declaresExtension } from "./store.js";
import type { FlowDefinition } from "./types.js";

/**
 * msint extension, Environment: the client-credentials grant with the credential of the `AZURE_*` variables, as
 * @azure/identity's EnvironmentCredential reads them. Every integration with Client Credentials has it.
 */
export const environment: FlowDefinition = {
  id: "environment",
  flow: "environment",
  displayName: FLOW_DISPLAY_NAMES.environment,
  column: "msint extension",
  impliedBy: "clientCredentials",
  registration: "self-deployed",
  authType: "Environment",
  delegated: false,
  supports: (manifest) => manifest.flows.clientCredentials || declaresExtension(manifest, environment.id),
  parameters: [],
  select: { chosen: (context) => authTypeIs(context, environment.authType) },
  createStrategy: ({ manifest, endpoints, transport, env }) =>
    createEnvironmentStrategy({
      env,
      loginHost: endpoints.loginHost,
      transport,
      commandPrefix: manifest.commandPrefix,
    }),
  plan: {
    settings: (manifest) => selfDeployedSettings(manifest, environment.authType!),
    required: [],
    credential: false,
    optional: [],
  },
  docs: {
    reference: (manifest) =>
      environment.supports(manifest)
        ? `- msint extension, ${environment.displayName}: \`auth_type="${environment.authType}"\` with \`AZURE_TENANT_ID\`, \`AZURE_CLIENT_ID\` and \`AZURE_CLIENT_SECRET\` or \`AZURE_CLIENT_CERTIFICATE_PATH\`.`
        : undefined,
    extension: {
      summary:
        "the client-credentials grant (application permissions) with the credential of the `AZURE_*` variables",
      parameters:
        '`auth_type="Environment"`; `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, then `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (PEM key + certificate; `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`) as @azure/identity\'s EnvironmentCredential',
      credential: "`client_secret`, or a certificate `client_assertion`",
    },
  },
};
