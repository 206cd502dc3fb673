import { readFileSync, statSync } from "node:fs";
import { isAbsolute } from "node:path";
import {
  CERTIFICATE_THUMBPRINT_PARAMETER,
  isLoopbackUrl,
  LOOPBACK_RULE,
  normalizeThumbprint,
  ParameterError,
  parseCertificateCredential,
  validateEndpointUrl,
  writtenUrlHost,
} from "@msint/auth-core/internal";
import { authTypeOptions } from "./flows/store.js";

/** The kinds of values an instance parameter holds. Secrets are never echoed back. */
export type ParameterType = "string" | "secret" | "boolean" | "select" | "url";

/** One instance parameter: its XSOAR key, the name a user sees, and how to validate it. */
export interface ParameterDefinition {
  key: string;
  /** Display name in the self-deployed configuration (what error messages name). */
  displayName: string;
  /** Display name when the Cortex XSOAR application is used (ID / Token / Key), if different. */
  xsoarAppName?: string;
  type: ParameterType;
  /** Help text shown by `msint instance` and in generated docs. */
  help: string;
  options?: readonly string[];
  defaultValue?: string | boolean;
  /** Throws a ParameterError when the value is malformed. Called with the resolved, non-empty value. */
  validate?: (value: string, definition: ParameterDefinition) => void;
}

/**
 * Values as stored: strings and booleans. `env:NAME` is read from the environment and `file:/PATH` from a file
 * (a Docker or Kubernetes secret) at run time: the value itself is never stored.
 */
export type ParameterValues = Record<string, string | boolean | undefined>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function fail(definition: ParameterDefinition, problem: string, fix: string): never {
  throw new ParameterError(`${definition.displayName}: ${problem} ${fix}`, definition.displayName);
}

export const validators = {
  guid(value: string, definition: ParameterDefinition) {
    if (!GUID.test(value)) {
      fail(
        definition,
        "is not a GUID.",
        "Copy the Application (client) ID from the app registration's Overview page (it looks like 00000000-0000-0000-0000-000000000000).",
      );
    }
  },
  tenant(value: string, definition: ParameterDefinition) {
    if (!GUID.test(value) && !DOMAIN.test(value)) {
      fail(
        definition,
        "is neither a tenant GUID nor a domain name.",
        "Copy the Directory (tenant) ID from the app registration's Overview page, or use the tenant's domain such as contoso.onmicrosoft.com.",
      );
    }
  },
  noStraySpace(value: string, definition: ParameterDefinition) {
    if (value !== value.trim()) {
      fail(
        definition,
        "starts or ends with white space.",
        "Paste the value again without the surrounding spaces or line breaks.",
      );
    }
  },
  /** An endpoint credentials are sent to: https, or http on a loopback host only; no user info, query or fragment. */
  endpointUrl(value: string, definition: ParameterDefinition) {
    validateEndpointUrl(value, definition.displayName);
  },
  /** SHA-1 (40) or SHA-256 (64) hex digits, any case and separators. */
  thumbprint(value: string) {
    normalizeThumbprint(value);
  },
  /** An unencrypted RSA PEM key of 2048 bits or more (and, when a certificate is bundled, the key of it). */
  privateKey(value: string) {
    try {
      parseCertificateCredential({ privateKey: value });
    } catch (error) {
      // The key itself is fine: only the thumbprint, another parameter, is missing here.
      if (ParameterError.isInstance(error) && error.parameter === CERTIFICATE_THUMBPRINT_PARAMETER) return;
      throw error;
    }
  },
  absoluteUrl(value: string, definition: ParameterDefinition) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      fail(definition, `"${value}" is not an absolute URL.`, "Enter a full URL such as https://localhost.");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      fail(definition, `uses the unsupported scheme ${url.protocol}`, "Use an https:// URL.");
    }
  },
  /**
   * A redirect URI: absolute, https, or http on a literal loopback address only (as Entra ID allows http only
   * for localhost); a loopback name DNS resolves (`app.localhost`, `127.0.0.1.nip.io`) is not loopback.
   */
  redirectUri(value: string, definition: ParameterDefinition) {
    validators.absoluteUrl(value, definition);
    if (new URL(value).protocol === "http:" && !isLoopbackUrl(value)) {
      fail(
        definition,
        `"${value}" uses plain http on ${writtenUrlHost(value) ?? "a host"}, which is not a literal loopback address.`,
        `Use an https:// redirect URI, or http://localhost:<port>/… for a local listener (${LOOPBACK_RULE}).`,
      );
    }
  },
} as const;

function selectValidator(value: string, definition: ParameterDefinition) {
  const options = definition.options ?? [];
  if (!options.some((option) => option.toLowerCase() === value.toLowerCase())) {
    fail(definition, `"${value}" is not one of the choices.`, `Choose one of: ${options.join(", ")}.`);
  }
}

function booleanValidator(value: string, definition: ParameterDefinition) {
  if (!/^(true|false|yes|no|1|0)$/i.test(value)) {
    fail(definition, `"${value}" is not a yes/no value.`, "Use true or false.");
  }
}

/**
 * The authentication parameters every integration shares, with the seed document's display names. Their order
 * is the order integrations declare them in (see flowParameters in flows/index.ts).
 */
export const AUTH_PARAMETERS = {
  account_name: {
    key: "account_name",
    displayName: "Storage account name",
    type: "string",
    help: "The storage account's name, as shown in the Azure Portal (Storage accounts); it makes the host <name>.<service>.core.windows.net.",
    validate: (value, definition) => {
      if (!/^[a-z0-9]{3,24}$/.test(value)) {
        fail(
          definition,
          `"${value}" is not a storage account name.`,
          "Use the 3-24 lower-case letters and digits shown in the Azure Portal.",
        );
      }
    },
  },
  sas_token: {
    key: "sas_token",
    displayName: "Account SAS Token",
    type: "secret",
    help: "An account SAS token (Storage account > Security + networking > Shared access signature > Generate SAS and connection string), with or without the leading '?'.",
    validate: validators.noStraySpace,
  },
  auth_id: {
    key: "auth_id",
    displayName: "App/Client ID",
    xsoarAppName: "ID",
    type: "string",
    help: "Self-deployed: the Application (client) ID from the app registration's Overview page. Cortex XSOAR application: the ID received from the authorization page.",
    validate: (value, definition) => {
      validators.noStraySpace(value, definition);
      // The Cortex XSOAR application's ID is a registration id (optionally @<broker URL>), not a GUID.
    },
  },
  tenant_id: {
    key: "tenant_id",
    displayName: "Tenant ID",
    xsoarAppName: "Token",
    type: "secret",
    help: "Self-deployed: the Directory (tenant) ID from the app registration's Overview page. Cortex XSOAR application: the token received from the authorization page.",
    validate: validators.noStraySpace,
  },
  enc_key: {
    key: "enc_key",
    displayName: "Client Secret",
    xsoarAppName: "Key",
    type: "secret",
    help: "Self-deployed: the secret Value (not the Secret ID) from Certificates & secrets. Cortex XSOAR application: the key received from the authorization page.",
    validate: validators.noStraySpace,
  },
  self_deployed: {
    key: "self_deployed",
    displayName: "Use a self-deployed Azure Application",
    type: "boolean",
    defaultValue: false,
    help: "Tick when you use your own app registration instead of the Cortex XSOAR multi-tenant application.",
  },
  auth_type: {
    key: "auth_type",
    displayName: "Authentication Type",
    type: "select",
    // The flows' Authentication Types, from the flow registry (src/flows/), so a registered flow is a choice.
    get options() {
      return authTypeOptions();
    },
    help: "Client Credentials acts as the application (application permissions); Authorization Code and Device Code act as a signed-in user (delegated permissions); Azure Managed Identities uses the identity of the Azure machine msint runs on. msint extensions: Workload Identity signs the app in with a federated token (AKS workload identity); Environment reads AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH.",
  },
  certificate_thumbprint: {
    key: "certificate_thumbprint",
    displayName: "Certificate Thumbprint",
    type: "string",
    help: "Instead of a client secret: the thumbprint shown for the certificate under Certificates & secrets (SHA-1, 40 hex characters).",
    validate: (value) => validators.thumbprint(value),
  },
  private_key: {
    key: "private_key",
    displayName: "Private Key",
    type: "secret",
    help: "The PEM private key of the registered certificate, including the BEGIN/END lines.",
    validate: (value) => validators.privateKey(value),
  },
  federated_token_file: {
    key: "federated_token_file",
    displayName: "Federated token file",
    type: "string",
    help: "Workload Identity: the file holding the federated token, read for every token request; defaults to AZURE_FEDERATED_TOKEN_FILE (set by AKS workload identity).",
    validate: (value, definition) => {
      if (!isAbsolute(value))
        fail(definition, `"${value}" is not an absolute path.`, "Give the full path of the token file.");
    },
  },
  redirect_uri: {
    key: "redirect_uri",
    displayName: "Application redirect URI",
    type: "url",
    help: "Authorization Code flow: the redirect URI registered under Authentication > Web (for example https://localhost).",
    validate: validators.redirectUri,
  },
  auth_code: {
    key: "auth_code",
    displayName: "Authorization code",
    type: "secret",
    help: "Authorization Code flow: the code from the redirected URL after signing in with the URL of !<prefix>-generate-login-url.",
  },
  use_managed_identities: {
    key: "use_managed_identities",
    displayName: "Use Azure Managed Identities",
    type: "boolean",
    defaultValue: false,
    help: "Authenticate with the managed identity of the Azure VM or App Service msint runs on.",
  },
  managed_identities_client_id: {
    key: "managed_identities_client_id",
    displayName: "Azure Managed Identities Client ID",
    type: "string",
    help: "For a user-assigned managed identity: its Client ID (Azure Portal > Managed Identities). Leave empty for the system-assigned identity.",
    validate: validators.guid,
  },
  azure_cloud: {
    key: "azure_cloud",
    displayName: "Azure Cloud",
    type: "select",
    options: ["Worldwide", "US GCC", "US GCC-High", "DoD", "China", "Germany", "Custom"],
    defaultValue: "Worldwide",
    help: "The national cloud of your tenant. Custom uses the Azure AD endpoint and Server URL parameters.",
  },
  azure_ad_endpoint: {
    key: "azure_ad_endpoint",
    displayName: "Azure AD endpoint",
    type: "url",
    help: "With Azure Cloud = Custom: the login host, e.g. https://login.microsoftonline.us.",
    validate: validators.endpointUrl,
  },
  server_url: {
    key: "server_url",
    displayName: "Server URL",
    type: "url",
    help: "With Azure Cloud = Custom: the API endpoint of the service, e.g. https://graph.microsoft.us.",
    validate: validators.endpointUrl,
  },
  insecure: {
    key: "insecure",
    displayName: "Trust any certificate (not secure)",
    type: "boolean",
    defaultValue: false,
    help: "Skip TLS certificate verification for this instance only. Prefer NODE_EXTRA_CA_CERTS with your CA bundle.",
  },
  proxy: {
    key: "proxy",
    displayName: "Use system proxy settings",
    type: "boolean",
    defaultValue: false,
    help: "Send requests through the proxy of HTTPS_PROXY / HTTP_PROXY, except hosts listed in NO_PROXY.",
  },
} satisfies Record<string, ParameterDefinition>;

/** Validates a stored value against its definition (env references are checked when resolved). */
export function validateParameterValue(
  definition: ParameterDefinition,
  value: string | boolean | undefined,
): void {
  if (value === undefined || value === "") return;
  if (typeof value === "boolean") {
    if (definition.type !== "boolean") {
      fail(definition, "must be text, not a yes/no value.", "Give it a text value.");
    }
    return;
  }
  if (value.startsWith("env:")) {
    if (!/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
      fail(
        definition,
        `refers to "${value}", which is not a valid environment variable name.`,
        "Use env:NAME.",
      );
    }
    return;
  }
  if (value.startsWith("file:")) {
    if (!isAbsolute(value.slice(5))) {
      fail(
        definition,
        `refers to "${value}", which is not an absolute path.`,
        "Use file:/full/path/to/the/secret (read when a command runs).",
      );
    }
    return;
  }
  if (definition.type === "boolean") booleanValidator(value, definition);
  if (definition.type === "select") selectValidator(value, definition);
  definition.validate?.(value, definition);
}

/** Whether a stored value is a reference read at run time (`env:NAME` or `file:/PATH`), not the value itself. */
export function isParameterReference(value: unknown): value is string {
  return typeof value === "string" && (value.startsWith("env:") || value.startsWith("file:"));
}

/** Largest file a `file:` reference may name: secrets, keys and certificates are a few KB. */
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads a `file:/PATH` reference: a regular file (symbolic links followed, as Kubernetes secret volumes use
 * them), readable by its owner only, at most {@link MAX_SECRET_FILE_BYTES}; one trailing line break removed.
 */
export function readSecretFile(path: string, definition: ParameterDefinition): string {
  if (!isAbsolute(path)) {
    fail(
      definition,
      `refers to "file:${path}", which is not an absolute path.`,
      "Use file:/full/path/to/the/secret (read when a command runs).",
    );
  }
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      definition,
      `refers to the file ${path}, which ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`}.`,
      "Check the path in file:PATH, or store the value itself.",
    );
  }
  if (!stats.isFile()) {
    fail(
      definition,
      `refers to ${path}, which is not a regular file.`,
      "Point file: at the file holding the value.",
    );
  }
  if (process.platform !== "win32" && (Number(stats.mode) & 0o077) !== 0) {
    fail(
      definition,
      `refers to ${path}, which other users can read or write (mode ${(Number(stats.mode) & 0o777).toString(8).padStart(4, "0")}).`,
      `Run chmod 600 ${path} (on Kubernetes, give the secret volume defaultMode: 0400).`,
    );
  }
  if (Number(stats.size) > MAX_SECRET_FILE_BYTES) {
    fail(
      definition,
      `refers to ${path}, which is larger than ${MAX_SECRET_FILE_BYTES / 1024} KiB.`,
      "Point file: at the file holding just the value.",
    );
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    fail(
      definition,
      `refers to the file ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
      "Let this user read it (chmod 600, owned by this user).",
    );
  }
  return text.replace(/\r?\n$/, "");
}

/**
 * Reads `env:NAME` and `file:/PATH` references and validates every value. Returns plain values; throws on the
 * first problem.
 */
export function resolveParameterValues(
  definitions: readonly ParameterDefinition[],
  values: ParameterValues,
  env: NodeJS.ProcessEnv,
): Record<string, string | boolean | undefined> {
  const resolved: Record<string, string | boolean | undefined> = {};
  for (const definition of definitions) {
    let value = values[definition.key];
    if (typeof value === "string" && value.startsWith("env:")) {
      const variable = value.slice(4);
      value = Object.hasOwn(env, variable) ? env[variable] : undefined;
      if (value === undefined) {
        fail(
          definition,
          `refers to the environment variable ${variable}, which is not set.`,
          `Set ${variable} or store the value itself.`,
        );
      }
      // Set but empty (or only white space) is a different mistake from not set: an export that lost its value.
      if (value.trim() === "") {
        fail(
          definition,
          `refers to the environment variable ${variable}, which is set but empty.`,
          `Give ${variable} a value (check the export that sets it), or store the value itself.`,
        );
      }
    } else if (typeof value === "string" && value.startsWith("file:")) {
      value = readSecretFile(value.slice(5), definition);
    }
    if (value === undefined || value === "") value = definition.defaultValue;
    if (value !== undefined && value !== "") validateParameterValue(definition, value);
    resolved[definition.key] = definition.type === "boolean" ? toBoolean(value) : value;
  }
  return resolved;
}

export function toBoolean(value: string | boolean | undefined): boolean {
  if (typeof value === "boolean") return value;
  return typeof value === "string" && /^(true|yes|1)$/i.test(value.trim());
}

/** A resolved parameter's text value, or "" when it is unset or a yes/no value. */
export function textParameter(params: Record<string, string | boolean | undefined>, key: string): string {
  const value = params[key];
  return typeof value === "string" ? value : "";
}
