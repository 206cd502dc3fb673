import {
  AUTH_PARAMETERS,
  defineIntegration,
  type FlowDefinition,
  graph,
  type ParameterDefinition,
  registerFlow,
  selectFlow,
} from "@msint/integration-kit";
import { afterEach, describe, expect, it } from "vitest";
import { integrationJson } from "./describe.js";
import { flowPlans, otherParameters, planFor } from "./flow-plans.js";

/** A flow that exists only in this test: `instance add` must offer it with no edit of the CLI. */
const secretFile: ParameterDefinition = {
  key: "client_secret_file",
  displayName: "Client secret file",
  type: "string",
  help: "Fixture flow: the file holding the client secret.",
};
const fixtureFlow: FlowDefinition = {
  id: "secret-file",
  flow: "secret-file",
  displayName: "Secret File",
  column: "msint extension",
  registration: "self-deployed",
  authType: "Secret File",
  delegated: false,
  supports: (manifest) => manifest.flows.extensions?.includes("secret-file") ?? false,
  parameters: [AUTH_PARAMETERS.tenant_id, AUTH_PARAMETERS.auth_id, secretFile],
  select: { chosen: (context) => context.authType === "secret file" },
  plan: {
    settings: () => ({ auth_type: "Secret File" }),
    required: [AUTH_PARAMETERS.tenant_id, AUTH_PARAMETERS.auth_id, secretFile],
    credential: false,
    optional: [],
  },
  docs: { reference: () => undefined },
};

const define = (extensions?: string[]) =>
  defineIntegration({
    id: "fixture-users",
    displayName: "Fixture Users",
    commandPrefix: "fixture-users",
    flows: {
      xsoarApp: "yes",
      clientCredentials: true,
      deviceCode: false,
      authorizationCode: true,
      managedIdentities: true,
      nationalClouds: false,
      ...(extensions ? { extensions } : {}),
    },
    resource: graph(),
    commands: {},
  });

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

describe("instance add's flow plans come from the flow registry", () => {
  it("offers the seed's flows and the extensions in the registry's order, with their settings", () => {
    const plans = flowPlans(define());
    expect(plans.map((plan) => [plan.title, plan.settings])).toEqual([
      ["Cortex XSOAR application", {}],
      ["Client Credentials", { self_deployed: true, auth_type: "Client Credentials" }],
      ["Authorization Code", { self_deployed: true, auth_type: "Authorization Code" }],
      ["Azure Managed Identities", { use_managed_identities: true }],
      ["Workload Identity", { self_deployed: true, auth_type: "Workload Identity" }],
      ["Environment", { self_deployed: true, auth_type: "Environment" }],
    ]);
  });

  it("offers a flow registered elsewhere, finds its plan from the selection, and lists its parameters under it", () => {
    unregister = registerFlow(fixtureFlow, { before: "managed-identity" });
    const integration = define(["secret-file"]);
    const plans = flowPlans(integration);
    expect(plans.map((plan) => plan.title)).toEqual([
      "Cortex XSOAR application",
      "Client Credentials",
      "Authorization Code",
      "Secret File",
      "Azure Managed Identities",
      "Workload Identity",
      "Environment",
    ]);
    const plan = planFor(
      integration,
      selectFlow(integration.manifest, { self_deployed: true, auth_type: "Secret File" }),
    );
    expect(plan?.required.map((definition) => definition.key)).toEqual([
      "tenant_id",
      "auth_id",
      "client_secret_file",
    ]);
    // Its parameter is asked under the flow, not among the other parameters.
    expect(otherParameters(integration).map((definition) => definition.key)).not.toContain(
      "client_secret_file",
    );
    // `msint integrations fixture-users --json` describes it with the others.
    expect(integrationJson(integration).flows.find((flow) => flow.flow === "secret-file")).toMatchObject({
      name: "Secret File",
      settings: { auth_type: "Secret File" },
      required: [{ key: "tenant_id" }, { key: "auth_id" }, { key: "client_secret_file" }],
      credential: null,
    });
  });

  it("does not offer a registered flow to an integration that does not declare it", () => {
    unregister = registerFlow(fixtureFlow);
    expect(flowPlans(define()).map((plan) => plan.flow)).not.toContain("secret-file");
  });
});
