import { createManagedIdentityStrategy, FLOW_DISPLAY_NAMES } from "@msint/auth-core/internal";
import { AUTH_PARAMETERS, textParameter, toBoolean } from "../parameters.js";
import { authTypeIs } from "./store.js";
import type { FlowDefinition } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * Azure Managed Identities: the identity of the Azure VM or App Service msint runs on, system-assigned, or
 * user-assigned with its client ID. Ticking it overrides every app registration.
 */
export const managedIdentity: FlowDefinition = {
  id: "managed-identity",
  flow: "managed-identity",
  displayName: FLOW_DISPLAY_NAMES["managed-identity"],
  column: "managedIdentities",
  registration: "none",
  authType: "Azure Managed Identities",
  selector: p.use_managed_identities,
  delegated: false,
  supports: (manifest) => manifest.flows.managedIdentities === true,
  parameters: [p.use_managed_identities, p.managed_identities_client_id],
  select: {
    ticked: (context) =>
      toBoolean(context.params["use_managed_identities"]) || authTypeIs(context, managedIdentity.authType),
  },
  createStrategy({ params, endpoints, transport }) {
    const clientId = textParameter(params, "managed_identities_client_id");
    return createManagedIdentityStrategy({
      clientId: clientId || undefined,
      resource: endpoints.audience,
      // The identity endpoint is local to the host (IMDS is link-local, App Service loopback): never through
      // the instance's proxy; the strategy's own transport has none.
      transport: toBoolean(params["proxy"]) ? undefined : transport,
    });
  },
  plan: {
    settings: () => ({ use_managed_identities: true }),
    required: [],
    credential: false,
    optional: [p.managed_identities_client_id],
  },
  docs: {
    reference(manifest) {
      if (manifest.flows.managedIdentities === true)
        return `- ${managedIdentity.displayName}: \`use_managed_identities=true\` on an Azure VM or App Service.`;
      if (manifest.flows.managedIdentities === "saas")
        return `- ${managedIdentity.displayName}: not applicable, the product runs as SaaS ("no - saas").`;
      return undefined;
    },
  },
};
