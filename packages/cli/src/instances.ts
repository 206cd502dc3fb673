import { type ContextStore, parseCertificateCredential, StoreError } from "@msint/auth-core";
import {
  AUTH_PARAMETERS,
  FLOW_NAMES,
  type InstanceDocument,
  type Integration,
  isParameterReference,
  type ParameterValues,
  resolveEndpoints,
  resolveParameterValues,
  selectFlow,
  tableToMarkdown,
  UsageError,
  validateParameterValue,
  validators,
} from "@msint/integration-kit";
import { integrationIds, loadIntegration } from "./registry.js";

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkInstanceName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new UsageError(
      `"${name}" is not a valid instance name: use letters, digits, dot, dash and underscore (up to 64), starting with a letter or digit.`,
    );
  }
}

export async function requireIntegration(id: string): Promise<Integration> {
  const integration = await loadIntegration(id);
  if (!integration) {
    throw new UsageError(
      `Unknown integration "${id}". Run msint integrations to list them; for example: ${integrationIds().slice(0, 5).join(", ")}.`,
    );
  }
  return integration;
}

/** Parses `--param KEY=VALUE` options against the integration's parameters; `KEY=` clears a value. */
export function parseParams(integration: Integration, pairs: readonly string[]): ParameterValues {
  const values: ParameterValues = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) {
      // The text is not echoed: a value pasted without its KEY= may well be a secret.
      const known = integration.parameter(pair.trim());
      throw new UsageError(
        known
          ? `--param ${known.key} has no value: write --param ${known.key}=VALUE (${known.displayName}).`
          : `--param takes KEY=VALUE, such as --param tenant_id=<Directory (tenant) ID>; the value given has no KEY= in front (it is not shown here, in case it is a secret).`,
      );
    }
    const key = pair.slice(0, equals).trim();
    const raw = pair.slice(equals + 1);
    const definition = integration.parameter(key);
    if (!definition) {
      throw new UsageError(
        `${integration.manifest.displayName} has no parameter "${key}". Its parameters: ${integration.parameters.map((parameter) => parameter.key).join(", ")}.`,
      );
    }
    if (raw === "") {
      values[key] = undefined;
      continue;
    }
    let value: string | boolean = raw;
    if (definition.type === "boolean" && !isParameterReference(raw)) {
      if (!/^(true|false|yes|no|1|0)$/i.test(raw)) {
        throw new UsageError(`${definition.displayName} (${key}) takes true or false, not "${raw}".`);
      }
      value = /^(true|yes|1)$/i.test(raw);
    }
    if (definition.type === "select" && !isParameterReference(value)) {
      const option = definition.options?.find(
        (candidate) => candidate.toLowerCase() === value.toString().toLowerCase(),
      );
      if (option) value = option;
    }
    validateParameterValue(definition, value);
    values[key] = value;
  }
  return values;
}

/** A stored value that is known now (not empty, not an env: or file: reference read at run time). */
function literal(params: ParameterValues, key: string): string | undefined {
  const value = params[key];
  return typeof value === "string" && value !== "" && !isParameterReference(value) ? value : undefined;
}

/**
 * The checks that need several parameters, so that a configuration the flow would refuse is not stored: for a
 * self-deployed application, Tenant ID must be a tenant and App/Client ID a GUID (the same parameters hold the
 * broker's Token and ID otherwise), and a Certificate Thumbprint must match a certificate bundled with the
 * Private Key. Missing parameters are not an error here: an instance may be completed later.
 */
export function checkConfiguration(integration: Integration, params: ParameterValues): void {
  let flow: string;
  try {
    const selection = selectFlow(integration.manifest, params);
    if (!selection.selfDeployed) return;
    flow = selection.flow;
  } catch {
    return; // an unsupported combination is explained when the instance is used
  }
  if (flow === "client-credentials" || flow === "authorization-code" || flow === "device-code") {
    const tenant = literal(params, "tenant_id");
    if (tenant) validators.tenant(tenant, AUTH_PARAMETERS.tenant_id);
    const client = literal(params, "auth_id");
    if (client) validators.guid(client, AUTH_PARAMETERS.auth_id);
  }
  const thumbprint = literal(params, "certificate_thumbprint");
  const privateKey = literal(params, "private_key");
  if (thumbprint && privateKey) parseCertificateCredential({ thumbprint, privateKey });
}

function merge(base: ParameterValues, changes: ParameterValues): ParameterValues {
  const next: ParameterValues = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

export async function addInstance(
  store: ContextStore<InstanceDocument>,
  name: string,
  integrationId: string,
  pairs: readonly string[],
): Promise<string> {
  checkInstanceName(name);
  const integration = await requireIntegration(integrationId);
  const params = merge({}, parseParams(integration, pairs));
  checkConfiguration(integration, params);
  const now = new Date().toISOString();
  await store.update(name, (current) => {
    if (current) {
      throw new UsageError(
        `An instance named "${name}" already exists. Change it with msint instance set ${name}, or remove it first.`,
      );
    }
    return {
      version: 1,
      name,
      integration: integrationId,
      params,
      context: {},
      createdAt: now,
      updatedAt: now,
    };
  });
  return `Instance "${name}" of ${integration.manifest.displayName} added. Test it with: msint run ${integration.manifest.commandPrefix}-auth-test --instance ${name}`;
}

export async function setInstance(
  store: ContextStore<InstanceDocument>,
  name: string,
  pairs: readonly string[],
): Promise<string> {
  checkInstanceName(name);
  const existing = await requireInstance(store, name);
  const integration = await requireIntegration(existing.integration);
  const changes = parseParams(integration, pairs);
  if (Object.keys(changes).length === 0)
    throw new UsageError("Nothing to change: give at least one --param KEY=VALUE.");
  await store.update(name, (current) => {
    if (!current) throw unknownInstance(name);
    const params = merge(current.params, changes);
    checkConfiguration(integration, params);
    // The instance's auth state is kept: a pasted authorization code completes the pending login.
    return { ...current, params, updatedAt: new Date().toISOString() };
  });
  return `Instance "${name}" updated (${Object.keys(changes).join(", ")}).`;
}

export function unknownInstance(name: string): UsageError {
  return new UsageError(
    `There is no instance named "${name}". List them with msint instance list, or add one with msint instance add ${name} --integration <id>.`,
  );
}

export async function requireInstance(
  store: ContextStore<InstanceDocument>,
  name: string,
): Promise<InstanceDocument> {
  checkInstanceName(name);
  const document = await store.read(name);
  if (!document) throw unknownInstance(name);
  return document;
}

/**
 * The instance's parameters as far as a listing needs them: `env:` references resolved from this environment,
 * and those whose variable is not set here left out (they are secrets, which neither the flow nor the cloud
 * depends on).
 */
function describableParams(integration: Integration, document: InstanceDocument) {
  try {
    return resolveParameterValues(integration.parameters, document.params, process.env);
  } catch {
    const stored = Object.entries(document.params).filter(([, value]) => !isParameterReference(value));
    return resolveParameterValues(integration.parameters, Object.fromEntries(stored), {});
  }
}

/**
 * The flow an instance authenticates with, and its cloud: Azure Cloud, or what the integration's own parameters
 * choose (Defender's Endpoint Type). The parameters are resolved once for both.
 */
function describeInstance(
  integration: Integration,
  document: InstanceDocument,
): { flow: string; cloud: string } {
  let params: ReturnType<typeof describableParams> | undefined;
  try {
    params = describableParams(integration, document);
  } catch {
    params = undefined;
  }
  let flow = "(incomplete)";
  let cloud: string | undefined;
  if (params) {
    try {
      flow = FLOW_NAMES[selectFlow(integration.manifest, params).flow];
    } catch {
      // An unsupported or incomplete choice of flow.
    }
    try {
      cloud = resolveEndpoints(integration.manifest, params).cloud.displayName;
    } catch {
      // A Custom cloud without its endpoints: shown as entered.
    }
  }
  const given = document.params["azure_cloud"];
  return { flow, cloud: cloud ?? (typeof given === "string" && given !== "" ? given : "Worldwide") };
}

/** The instances as a table, and the store errors of those that could not be read (listed, marked so). */
export interface InstanceListing {
  table: string;
  /** How many instances were read. */
  readable: number;
  unreadable: StoreError[];
}

export async function listInstances(store: ContextStore<InstanceDocument>): Promise<InstanceListing> {
  const names = await store.list();
  const rows: Record<string, unknown>[] = [];
  const unreadable: StoreError[] = [];
  for (const name of names) {
    let document: InstanceDocument | undefined;
    try {
      document = await store.read(name);
    } catch (error) {
      // One damaged file must not hide the other instances: it is listed as such, and explained after.
      if (!(error instanceof StoreError)) throw error;
      unreadable.push(error);
      rows.push({ Name: name, Integration: "(cannot be read)", Flow: "", "Azure Cloud": "" });
      continue;
    }
    if (!document) continue;
    const integration = await loadIntegration(document.integration);
    const described = integration
      ? describeInstance(integration, document)
      : { flow: "", cloud: document.params["azure_cloud"] ?? "" };
    rows.push({
      Name: name,
      Integration: integration?.manifest.displayName ?? document.integration,
      Flow: described.flow,
      "Azure Cloud": described.cloud,
    });
  }
  return {
    table: tableToMarkdown("Instances", rows, ["Name", "Integration", "Flow", "Azure Cloud"]),
    readable: rows.length - unreadable.length,
    unreadable,
  };
}

export async function showInstance(store: ContextStore<InstanceDocument>, name: string): Promise<string> {
  const document = await requireInstance(store, name);
  const integration = await requireIntegration(document.integration);
  const rows = integration.parameters
    .filter((definition) => document.params[definition.key] !== undefined)
    .map((definition) => {
      const value = document.params[definition.key];
      const shown = isParameterReference(value)
        ? value
        : definition.type === "secret"
          ? "******** (set)"
          : String(value);
      return { Parameter: definition.displayName, Key: definition.key, Value: shown };
    });
  const context = document.context ?? {};
  const state = [
    `Cached tokens: ${Object.keys(context.tokens ?? {}).length}`,
    `Refresh token: ${context.refreshToken ? "stored" : "none"}`,
  ];
  return `${tableToMarkdown(`${name} (${integration.manifest.displayName})`, rows, ["Parameter", "Key", "Value"])}\nFlow: ${describeInstance(integration, document).flow}\n${state.join("\n")}\n`;
}

export async function removeInstance(store: ContextStore<InstanceDocument>, name: string): Promise<string> {
  checkInstanceName(name);
  if (!(await store.remove(name))) throw unknownInstance(name);
  return `Instance "${name}" removed, with its stored tokens.`;
}
