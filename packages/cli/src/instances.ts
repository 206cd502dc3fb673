import {
  type ContextStore,
  isLoopbackHost,
  ParameterError,
  parseBrokerId,
  parseCertificateCredential,
  StoreError,
} from "@msint/auth-core/internal";
import {
  AUTH_PARAMETERS,
  flowDisplayName,
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
import { nameIn, planFor } from "./flow-plans.js";
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

/** A value that is set: a literal or an `env:` reference (read at run time). */
function given(params: ParameterValues, key: string): boolean {
  const value = params[key];
  return value !== undefined && value !== "";
}

/** How to give parameters, for the command the user ran. */
export interface ConfigurationTarget {
  /** `add` or `set`. */
  action: "add" | "set";
  name: string;
}

function paramWords(target: ConfigurationTarget, integration: Integration, keys: readonly string[]): string {
  const head =
    target.action === "add"
      ? `msint instance add ${target.name} --integration ${integration.manifest.id} …`
      : `msint instance set ${target.name}`;
  return `${head} ${keys.map((key) => `--param ${key}=…`).join(" ")}`;
}

/**
 * Refuses, before anything is stored, a configuration the instance could not run with: a flow the integration
 * lacks; a self-deployed Authentication Type without "Use a self-deployed Azure Application" (refused rather
 * than inferred: the same ID / Token / Key parameters mean the broker's credentials otherwise, so guessing
 * would send them to the wrong place); parameters the chosen flow needs; Azure Cloud = Custom without its
 * endpoints; a plain-http URL to anything but this machine (the broker's URL in the ID included); malformed
 * tenant, client ID and certificate. `env:` references count as given (they are read at run time).
 */
export function checkConfiguration(
  integration: Integration,
  params: ParameterValues,
  target: ConfigurationTarget = { action: "set", name: "<name>" },
): void {
  refusePlainHttp(integration, params);
  refuseUnselfDeployedAuthType(integration, params);
  const selection = knownFlow(integration, params);
  // Malformed values first: they are the more precise message.
  checkFormats(params, selection);
  requireFlowParameters(integration, params, selection, target);
  requireCustomCloudEndpoints(integration, params, target);
}

/** Plain http anywhere but loopback: tokens and secrets would cross the network unencrypted. */
function refusePlainHttp(integration: Integration, params: ParameterValues): void {
  for (const definition of integration.parameters) {
    // Secrets are not looked into: the message would repeat part of one.
    const value = definition.type === "secret" ? undefined : literal(params, definition.key);
    if (!value || !/^http:\/\//i.test(value.trim())) continue;
    let host: string;
    try {
      host = new URL(value.trim()).hostname;
    } catch {
      continue; // the parameter's own validator explains a malformed URL
    }
    if (!isLoopbackHost(host)) {
      throw new ParameterError(
        `${definition.displayName} (${definition.key}) is a plain http URL to ${host}, which would carry credentials unencrypted. Use https:// (http is accepted only for loopback addresses such as 127.0.0.1 or localhost).`,
        definition.displayName,
      );
    }
  }
}

/** A self-deployed Authentication Type on an integration with the XSOAR application, but self_deployed not ticked. */
function refuseUnselfDeployedAuthType(integration: Integration, params: ParameterValues): void {
  const { manifest } = integration;
  const authType = literal(params, "auth_type");
  const ticked = params["self_deployed"];
  const selfDeployedKnown = typeof ticked === "boolean" || ticked === undefined || ticked === "";
  if (
    manifest.flows.xsoarApp &&
    authType &&
    authType.toLowerCase() !== "azure managed identities" &&
    selfDeployedKnown &&
    ticked !== true
  ) {
    throw new ParameterError(
      `Authentication Type "${authType}" is a flow of your own (self-deployed) Azure application, but "Use a self-deployed Azure Application" is not ticked, so ${manifest.displayName} would use the Cortex XSOAR application with these parameters. Add --param self_deployed=true, or leave auth_type out to use the Cortex XSOAR application.`,
      AUTH_PARAMETERS.self_deployed.displayName,
    );
  }
}

type Selection = ReturnType<typeof selectFlow>;

/** The flow the parameters select; references to variables are left out (they cannot select anything here). */
function knownFlow(integration: Integration, params: ParameterValues): Selection {
  const { manifest } = integration;
  const known: ParameterValues = Object.fromEntries(
    Object.entries(params).filter(([, value]) => !(typeof value === "string" && value.startsWith("env:"))),
  );
  try {
    return selectFlow(manifest, known);
  } catch (error) {
    if (!ParameterError.isInstance(error)) throw error;
    throw new ParameterError(
      `${error.message} Choose one of them (msint integrations ${manifest.id} shows what each needs).`,
      error.parameter,
    );
  }
}

/** The broker's URL in the ID, tenant and client ID of a self-deployed app, and a certificate with its key. */
function checkFormats(params: ParameterValues, { flow, selfDeployed }: Selection): void {
  if (flow === "xsoar-app") {
    const id = literal(params, "auth_id");
    if (id?.includes("@")) parseBrokerId(id);
  }
  if (
    selfDeployed &&
    (flow === "client-credentials" || flow === "authorization-code" || flow === "device-code")
  ) {
    const tenant = literal(params, "tenant_id");
    if (tenant) validators.tenant(tenant, AUTH_PARAMETERS.tenant_id);
    const client = literal(params, "auth_id");
    if (client) validators.guid(client, AUTH_PARAMETERS.auth_id);
  }
  const thumbprint = literal(params, "certificate_thumbprint");
  const privateKey = literal(params, "private_key");
  if (thumbprint && privateKey) parseCertificateCredential({ thumbprint, privateKey });
}

/** Every parameter the selected flow needs, named together in one message. */
function requireFlowParameters(
  integration: Integration,
  params: ParameterValues,
  selection: Selection,
  target: ConfigurationTarget,
): void {
  const p = AUTH_PARAMETERS;
  const plan = planFor(integration, selection);
  if (!plan) return;
  const missing = plan.required.filter((definition) => !given(params, definition.key));
  const keys = missing.map((definition) => definition.key);
  const names = missing.map((definition) => nameIn(plan, definition));
  if (plan.credential) {
    const certificate = given(params, "certificate_thumbprint") || given(params, "private_key");
    if (certificate) {
      for (const definition of [p.certificate_thumbprint, p.private_key]) {
        if (!given(params, definition.key)) {
          keys.push(definition.key);
          names.push(definition.displayName);
        }
      }
    } else if (!given(params, "enc_key")) {
      keys.push("enc_key");
      names.push(
        `${p.enc_key.displayName} (or ${p.certificate_thumbprint.displayName} and ${p.private_key.displayName})`,
      );
    }
  }
  if (keys.length > 0) {
    throw new ParameterError(
      `The ${plan.title} flow of ${integration.manifest.displayName} needs ${names.join(", ")}. Give ${keys.length === 1 ? "it" : "them"}: ${paramWords(target, integration, keys)} (a secret can be env:VARIABLE).`,
      names[0]!,
    );
  }
}

/** Azure Cloud = Custom needs its login host and the resource's endpoint. */
function requireCustomCloudEndpoints(
  integration: Integration,
  params: ParameterValues,
  target: ConfigurationTarget,
): void {
  const p = AUTH_PARAMETERS;
  const cloud = literal(params, "azure_cloud");
  if (cloud?.toLowerCase() !== "custom") return;
  const missing = [p.azure_ad_endpoint, p.server_url].filter((definition) => !given(params, definition.key));
  if (missing.length > 0) {
    throw new ParameterError(
      `Azure Cloud is Custom, so ${missing.map((definition) => definition.displayName).join(" and ")} must be set: ${paramWords(
        target,
        integration,
        missing.map((definition) => definition.key),
      )} (the login host and the ${integration.manifest.resource.displayName} endpoint), or choose a named Azure Cloud.`,
      missing[0]!.displayName,
    );
  }
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
  checkConfiguration(integration, params, { action: "add", name });
  const now = new Date().toISOString();
  await store.update(name, (current) => {
    if (current) throw instanceExists(name);
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
    checkConfiguration(integration, params, { action: "set", name });
    // The instance's auth state is kept: a pasted authorization code completes the pending login.
    return { ...current, params, updatedAt: new Date().toISOString() };
  });
  return `Instance "${name}" updated (${Object.keys(changes).join(", ")}).`;
}

export function instanceExists(name: string): UsageError {
  return new UsageError(
    `An instance named "${name}" already exists. Change it with msint instance set ${name}, or remove it first.`,
  );
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
      flow = flowDisplayName(selectFlow(integration.manifest, params).flow);
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
  /** The rows of the table, for --json. */
  rows: {
    name: string;
    integration: string;
    integrationName: string;
    flow: string;
    cloud: string;
    readable: boolean;
  }[];
  /** How many instances were read. */
  readable: number;
  unreadable: StoreError[];
}

export async function listInstances(store: ContextStore<InstanceDocument>): Promise<InstanceListing> {
  const names = await store.list();
  const rows: Record<string, unknown>[] = [];
  const data: InstanceListing["rows"] = [];
  const unreadable: StoreError[] = [];
  for (const name of names) {
    let document: InstanceDocument | undefined;
    try {
      document = await store.read(name);
    } catch (error) {
      // One damaged file must not hide the other instances: it is listed as such, and explained after.
      if (!StoreError.isInstance(error)) throw error;
      unreadable.push(error);
      rows.push({ Name: name, Integration: "(cannot be read)", Flow: "", "Azure Cloud": "" });
      data.push({ name, integration: "", integrationName: "", flow: "", cloud: "", readable: false });
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
    data.push({
      name,
      integration: document.integration,
      integrationName: integration?.manifest.displayName ?? document.integration,
      flow: described.flow,
      cloud: String(described.cloud),
      readable: true,
    });
  }
  return {
    table: tableToMarkdown("Instances", rows, ["Name", "Integration", "Flow", "Azure Cloud"]),
    rows: data,
    readable: rows.length - unreadable.length,
    unreadable,
  };
}

/** An instance as `msint instance show --json` prints it: secrets masked, env: references as written. */
export interface InstanceDescription {
  name: string;
  integration: string;
  integrationName: string;
  flow: string;
  parameters: { key: string; name: string; value: string | boolean }[];
  cachedTokens: number;
  refreshToken: boolean;
}

export async function describeStoredInstance(
  store: ContextStore<InstanceDocument>,
  name: string,
): Promise<InstanceDescription> {
  const document = await requireInstance(store, name);
  const integration = await requireIntegration(document.integration);
  const parameters = integration.parameters
    .filter((definition) => document.params[definition.key] !== undefined)
    .map((definition) => {
      const value = document.params[definition.key]!;
      // An env: or file: reference is shown as written; it names where the secret is, not the secret.
      const shown = isParameterReference(value)
        ? value
        : definition.type === "secret"
          ? "******** (set)"
          : value;
      return { key: definition.key, name: definition.displayName, value: shown };
    });
  const context = document.context ?? {};
  return {
    name,
    integration: document.integration,
    integrationName: integration.manifest.displayName,
    flow: describeInstance(integration, document).flow,
    parameters,
    cachedTokens: Object.keys(context.tokens ?? {}).length,
    refreshToken: Boolean(context.refreshToken),
  };
}

export async function showInstance(store: ContextStore<InstanceDocument>, name: string): Promise<string> {
  const described = await describeStoredInstance(store, name);
  const rows = described.parameters.map((parameter) => ({
    Parameter: parameter.name,
    Key: parameter.key,
    Value: String(parameter.value),
  }));
  const state = [
    `Cached tokens: ${described.cachedTokens}`,
    `Refresh token: ${described.refreshToken ? "stored" : "none"}`,
  ];
  return `${tableToMarkdown(`${name} (${described.integrationName})`, rows, ["Parameter", "Key", "Value"])}\nFlow: ${described.flow}\n${state.join("\n")}\n`;
}

export async function removeInstance(store: ContextStore<InstanceDocument>, name: string): Promise<string> {
  checkInstanceName(name);
  if (!(await store.remove(name))) throw unknownInstance(name);
  return `Instance "${name}" removed, with its stored tokens.`;
}
