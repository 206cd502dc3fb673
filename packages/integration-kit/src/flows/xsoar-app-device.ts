import { FLOW_DISPLAY_NAMES } from "@msint/auth-core/internal";
import { AUTH_PARAMETERS } from "../parameters.js";
import { deviceCodeStrategy } from "./device-code.js";
import type { FlowDefinition } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * The Cortex XSOAR application reached through the device code flow (seed "yes - device"): a public client, so
 * only its ID; the tenant defaults to `organizations`. Selections report it as device code, not self-deployed.
 */
export const xsoarAppDevice: FlowDefinition = {
  id: "xsoar-app-device",
  flow: "device-code",
  displayName: FLOW_DISPLAY_NAMES["xsoar-app"],
  column: "xsoarApp",
  registration: "xsoar",
  delegated: true,
  supports: (manifest) => manifest.flows.xsoarApp === "device",
  parameters: [p.auth_id, p.tenant_id],
  select: { implied: (context) => !context.selfDeployed },
  createStrategy: (input) => deviceCodeStrategy(input, false),
  plan: {
    title: `${FLOW_DISPLAY_NAMES["xsoar-app"]} (device code)`,
    settings: () => ({}),
    required: [p.auth_id],
    credential: false,
    optional: [],
  },
  docs: {
    reference: (manifest) =>
      manifest.flows.xsoarApp === "device"
        ? `- ${xsoarAppDevice.displayName} through the device code flow ("yes - device").`
        : undefined,
  },
};
