import { createXsoarAppStrategy, FLOW_DISPLAY_NAMES } from "@msint/auth-core/internal";
import { AUTH_PARAMETERS, textParameter } from "../parameters.js";
import { requireParameters } from "./shared.js";
import type { FlowDefinition } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * The Cortex XSOAR application (seed "yes"): the multi-tenant app, through the token broker, with the ID, Token
 * and Key from its authorization page. The default unless "Use a self-deployed Azure Application" is ticked.
 */
export const xsoarApp: FlowDefinition = {
  id: "xsoar-app",
  flow: "xsoar-app",
  displayName: FLOW_DISPLAY_NAMES["xsoar-app"],
  column: "xsoarApp",
  registration: "xsoar",
  delegated: false,
  supports: (manifest) => manifest.flows.xsoarApp === "yes",
  parameters: [p.auth_id, p.tenant_id, p.enc_key],
  select: { implied: (context) => !context.selfDeployed },
  createStrategy({ manifest, params, endpoints, transport }) {
    requireParameters("xsoar-app", params, [p.auth_id, p.tenant_id, p.enc_key], false);
    return createXsoarAppStrategy({
      authId: textParameter(params, "auth_id"),
      token: textParameter(params, "tenant_id"),
      key: textParameter(params, "enc_key"),
      appName: manifest.brokerAppName ?? manifest.id,
      resource: endpoints.audience,
      transport,
      commandPrefix: manifest.commandPrefix,
    });
  },
  plan: {
    settings: () => ({}),
    required: [p.auth_id, p.tenant_id, p.enc_key],
    credential: false,
    optional: [],
  },
  docs: {
    reference: (manifest) =>
      manifest.flows.xsoarApp === "yes"
        ? `- ${xsoarApp.displayName}: leave *Use a self-deployed Azure Application* unticked and paste ID, Token and Key.`
        : undefined,
  },
};
