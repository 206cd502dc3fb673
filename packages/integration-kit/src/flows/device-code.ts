import { createDeviceCodeStrategy, FLOW_DISPLAY_NAMES, type FlowStrategy } from "@msint/auth-core/internal";
import { AUTH_PARAMETERS, textParameter, validators } from "../parameters.js";
import { requireParameters, selfDeployedSettings } from "./shared.js";
import { authTypeIs } from "./store.js";
import type { FlowDefinition, FlowStrategyInput } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * The device code strategy, for a self-deployed public client and for the Cortex XSOAR application reached
 * through device code ("yes - device"), whose ID is not a GUID and whose tenant may be left out.
 */
export function deviceCodeStrategy(
  { manifest, params, endpoints, transport, deviceCodeWait }: FlowStrategyInput,
  selfDeployed: boolean,
): FlowStrategy {
  requireParameters("device-code", params, [p.auth_id], selfDeployed);
  if (selfDeployed) validators.guid(textParameter(params, "auth_id"), p.auth_id);
  const tenant = textParameter(params, "tenant_id");
  if (tenant && selfDeployed) validators.tenant(tenant, p.tenant_id);
  return createDeviceCodeStrategy({
    tenantId: tenant || "organizations",
    clientId: textParameter(params, "auth_id"),
    loginHost: endpoints.loginHost,
    transport,
    commandPrefix: manifest.commandPrefix,
    wait: deviceCodeWait,
  });
}

/** Device Code (delegated): a self-deployed public client; the user signs in on another device. */
export const deviceCode: FlowDefinition = {
  id: "device-code",
  flow: "device-code",
  displayName: FLOW_DISPLAY_NAMES["device-code"],
  column: "deviceCode",
  registration: "self-deployed",
  authType: "Device Code",
  delegated: true,
  supports: (manifest) => manifest.flows.deviceCode,
  parameters: [p.auth_id, p.tenant_id],
  select: {
    chosen: (context) => authTypeIs(context, deviceCode.authType),
    fallback: () => true,
  },
  createStrategy: (input) => deviceCodeStrategy(input, true),
  plan: {
    settings: (manifest) => selfDeployedSettings(manifest, deviceCode.authType!),
    required: [p.auth_id],
    credential: false,
    optional: [p.tenant_id],
  },
  docs: {
    reference: (manifest) =>
      manifest.flows.deviceCode
        ? `- ${deviceCode.displayName} (delegated permissions): \`auth_type="${deviceCode.authType}"\`, then \`-auth-start\` and \`-auth-complete\`.`
        : undefined,
  },
};
