import { AUTH_PARAMETERS } from "../parameters.js";
import { canSelfDeploy } from "./store.js";
import type { FlowDefinition } from "./types.js";

const p = AUTH_PARAMETERS;

/**
 * Account SAS Token: Azure Storage's data plane authorized by a shared access signature appended to every
 * request, no OAuth token at all. Used by a resource that accepts one when no self-deployed flow is supported
 * and no managed identity is ticked.
 */
export const sharedAccessSignature: FlowDefinition = {
  id: "shared-access-signature",
  flow: "shared-access-signature",
  displayName: "Account SAS Token",
  column: "resource credential",
  registration: "none",
  delegated: false,
  // The resource accepts a SAS token, so its parameters are declared (the account name makes the host) ...
  supports: (manifest) => Boolean(manifest.resource.sharedAccessSignature),
  parameters: [p.account_name, p.sas_token],
  // ... but it is used, and offered, only where no self-deployed flow is.
  select: { implied: (context) => !context.canSelfDeploy },
  plan: {
    offered: (manifest) => !canSelfDeploy(manifest),
    settings: () => ({}),
    required: [p.account_name, p.sas_token],
    credential: false,
    optional: [],
  },
  docs: {
    reference: (manifest) =>
      manifest.resource.sharedAccessSignature
        ? "- Account SAS token: `account_name` and `sas_token` (used when no managed identity is chosen)."
        : undefined,
  },
};
