import type { Integration, ParameterDefinition } from "@msint/integration-kit";
import { type FlowPlan, flowPlans, otherParameters, settingWords } from "./flow-plans.js";

/** What the lines need to know of the running emulator and its demo seed. */
export interface EmulatorFacts {
  url: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  publicClientId: string;
  certificate?: { clientId: string; thumbprint: string; keyFile: string };
  redirectUri?: string;
  identityHeader?: string;
  /** A broker registration of the integration's app: its ID, its Token (the tenant ID) and its key. */
  broker: { registrationId: string; token: string; key: string };
  /** Values of the seeded data for the integrations' own parameters (subscription, workspace, account …). */
  parameters: Readonly<Record<string, string>>;
  /** Whether the proxy runs (host-named APIs such as storage accounts need it). */
  proxy: boolean;
  /** An account SAS token of the demo storage account (Azure Storage's own credential). */
  sasToken?: string;
}

function quoted(value: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Whether the integration's API is reached by host name (a storage account, a vault): only through the proxy. */
function hostNamed(integration: Integration): boolean {
  return integration.manifest.resource.kind.startsWith("storage-");
}

/** The credentials of one flow, as `--param` words, and what to run before the first command. */
function flowCredentials(plan: FlowPlan, facts: EmulatorFacts, name: string, prefix: string) {
  const p = (key: string, value: string) => `--param ${key}=${quoted(value)}`;
  const tenant = p("tenant_id", facts.tenantId);
  switch (plan.flow) {
    case "client-credentials":
      return { words: [tenant, p("auth_id", facts.clientId), p("enc_key", facts.clientSecret)], before: [] };
    case "authorization-code":
      return {
        words: [
          tenant,
          p("auth_id", facts.clientId),
          p("enc_key", facts.clientSecret),
          ...(facts.redirectUri ? [p("redirect_uri", facts.redirectUri)] : []),
        ],
        before: [`msint login ${name}`],
      };
    case "device-code":
    case "xsoar-app-device":
      return {
        words: [tenant, p("auth_id", facts.publicClientId)],
        before: [
          `msint run ${prefix}-auth-start --instance ${name}`,
          `msint run ${prefix}-auth-complete wait=true --instance ${name}`,
        ],
      };
    case "managed-identity":
      return {
        words: [],
        before: facts.identityHeader
          ? [`export IDENTITY_ENDPOINT=${facts.url}/msi/token IDENTITY_HEADER=${facts.identityHeader}`]
          : [],
      };
    case "xsoar-app":
      return {
        words: [
          p("auth_id", `${facts.broker.registrationId}@${facts.url}/obtain-token`),
          p("tenant_id", facts.broker.token),
          p("enc_key", facts.broker.key),
        ],
        before: [],
      };
    case "shared-access-signature":
      return facts.sasToken
        ? {
            words: [
              ...(facts.parameters["account_name"]
                ? [p("account_name", facts.parameters["account_name"])]
                : []),
              p("sas_token", facts.sasToken),
            ],
            before: [],
          }
        : undefined;
    default:
      return undefined;
  }
}

/** The integration's own parameters the instance needs, with the emulator's seeded values where it has them. */
function ownParameters(integration: Integration, facts: EmulatorFacts): string[] {
  const own: ParameterDefinition[] = otherParameters(integration).filter(
    (definition) =>
      !["azure_cloud", "azure_ad_endpoint", "server_url", "insecure", "proxy"].includes(definition.key) &&
      (definition.defaultValue === undefined || facts.parameters[definition.key] !== undefined),
  );
  return own
    .filter((definition) => facts.parameters[definition.key] !== undefined || definition.validate)
    .map(
      (definition) =>
        `--param ${definition.key}=${quoted(facts.parameters[definition.key] ?? `<${definition.displayName}>`)}`,
    );
}

/**
 * Ready-to-paste `msint instance add` lines for one integration, one instance per flow it supports, pointed at the
 * running emulator (Custom cloud, or the proxy for host-named APIs), then its `-test`.
 */
export function emulatorInstanceLines(integration: Integration, facts: EmulatorFacts): string[] {
  const { manifest } = integration;
  const prefix = manifest.commandPrefix;
  const cloud =
    hostNamed(integration) || facts.proxy
      ? ["--param proxy=true"]
      : [`--param azure_cloud=Custom --param azure_ad_endpoint=${facts.url} --param server_url=${facts.url}`];
  const lines = [`# ${manifest.displayName}: one instance per flow`];
  if (hostNamed(integration) && !facts.proxy) {
    lines.push(
      "# its API is reached by host name: start the emulator with --proxy and export what it prints",
    );
  }
  for (const plan of flowPlans(integration)) {
    const name = `${manifest.id}-${plan.flow}`.slice(0, 60);
    const credentials = flowCredentials(plan, facts, name, prefix);
    if (!credentials) {
      lines.push(`# ${plan.title}: not reachable from the emulator's banner (see docs/flows.md)`);
      continue;
    }
    lines.push(
      `# ${plan.title}`,
      ...credentials.before.filter((line) => line.startsWith("export ")),
      [
        `msint instance add ${name} --integration ${manifest.id}`,
        settingWords(plan.settings),
        ...credentials.words,
        ...cloud,
        ...ownParameters(integration, facts),
      ]
        .filter(Boolean)
        .join(" "),
      ...credentials.before.filter((line) => !line.startsWith("export ")),
      `msint run ${prefix}-test --instance ${name}`,
    );
    if (plan.flow === "client-credentials" && facts.certificate) {
      const certificate = facts.certificate;
      const named = `${manifest.id}-certificate`.slice(0, 60);
      lines.push(
        `# ${plan.title} with a certificate`,
        [
          `msint instance add ${named} --integration ${manifest.id}`,
          settingWords(plan.settings),
          `--param tenant_id=${facts.tenantId} --param auth_id=${certificate.clientId}`,
          `--param certificate_thumbprint=${certificate.thumbprint} --param private_key=file:${certificate.keyFile}`,
          ...cloud,
          ...ownParameters(integration, facts),
        ]
          .filter(Boolean)
          .join(" "),
        `msint run ${prefix}-test --instance ${named}`,
      );
    }
  }
  return lines;
}
