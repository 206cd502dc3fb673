import {
  DEMO_BROKER_APP_NAME,
  DEMO_BROKER_APP_REGISTRATION_ID,
  DEMO_BROKER_DELEGATED_REGISTRATION_ID,
  DEMO_BROKER_KEY,
  DEMO_BROKER_REFRESH_TOKEN,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_MANAGED_IDENTITY_CLIENT_ID,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_ASSIGNED_CLIENT_ID,
  DEMO_USER_PASSWORD,
} from "./seed.js";
import { BUILT_IN_SERVICES } from "./services/index.js";
import { DEMO_STORAGE_ACCOUNT, demoAccountSas } from "./services/storage.js";
import type { RecordedRequest, RunningEmulator } from "./types.js";

/** What the banner may add beyond the emulator itself. */
export interface BannerOptions {
  /** Where the caller wrote the demo certificate app's private key (PEM), if it did. */
  certificateKeyFile?: string;
}

type BannerEmulator = Pick<RunningEmulator, "url" | "seed"> &
  Partial<Pick<RunningEmulator, "identityHeader" | "proxyUrl" | "caCertFile" | "demoCertificate">>;

/** The demo credentials, one flow each: only for the built-in demo seed, whose values are public constants. */
function demoCredentialLines(emulator: BannerEmulator, options: BannerOptions): string[] {
  const { url, seed } = emulator;
  const tenant = seed.tenants.find((candidate) => candidate.id === DEMO_TENANT_ID)!;
  const user = tenant.users?.[0];
  const app = tenant.apps.find((candidate) => candidate.clientId === DEMO_CLIENT_ID);
  const redirect = app?.redirectUris?.[0];
  const certificate = emulator.demoCertificate;
  const lines = [
    "  Demo credentials (public constants of the emulator; never use them elsewhere):",
    `    Confidential app (Client Credentials, Authorization Code)`,
    `      --param tenant_id=${DEMO_TENANT_ID} --param auth_id=${DEMO_CLIENT_ID} --param enc_key=${DEMO_CLIENT_SECRET}`,
  ];
  if (redirect) lines.push(`      redirect URI for Authorization Code: --param redirect_uri=${redirect}`);
  if (certificate) {
    lines.push(
      `    Certificate app (Client Credentials with a certificate)`,
      `      --param auth_id=${DEMO_CERT_CLIENT_ID} --param certificate_thumbprint=${certificate.thumbprintSha1}`,
      options.certificateKeyFile
        ? `      --param private_key=file:${options.certificateKeyFile}`
        : "      private key: RunningEmulator.demoCertificate.privateKeyPem",
    );
  }
  lines.push(
    `    Public client (Device Code): --param auth_id=${DEMO_PUBLIC_CLIENT_ID} --param tenant_id=${DEMO_TENANT_ID}`,
  );
  if (user) lines.push(`    Sign-in user: ${user.userPrincipalName} / ${DEMO_USER_PASSWORD}`);
  if (emulator.identityHeader) {
    lines.push(
      `    Managed identity (system-assigned ${DEMO_MANAGED_IDENTITY_CLIENT_ID}; user-assigned: --param managed_identities_client_id=${DEMO_USER_ASSIGNED_CLIENT_ID})`,
      `      export IDENTITY_ENDPOINT=${url}/msi/token IDENTITY_HEADER=${emulator.identityHeader}`,
    );
  }
  lines.push(
    `    Storage account (Account SAS Token; through --proxy): --param account_name=${DEMO_STORAGE_ACCOUNT} --param sas_token='${demoAccountSas()}'`,
    "    Token broker (Cortex XSOAR application, self_deployed=false)",
    `      application registration (app ${DEMO_BROKER_APP_NAME}): --param auth_id=${DEMO_BROKER_APP_REGISTRATION_ID}@${url}/obtain-token --param tenant_id=${DEMO_TENANT_ID} --param enc_key=${DEMO_BROKER_KEY}`,
    `      delegated registration: --param auth_id=${DEMO_BROKER_DELEGATED_REGISTRATION_ID}@${url}/obtain-token --param tenant_id=${DEMO_BROKER_REFRESH_TOKEN} --param enc_key=${DEMO_BROKER_KEY}`,
    "      msint emulator --instances <integration> registers one for that integration's app",
  );
  return lines;
}

/**
 * Human-readable text for `msint emulator`: the URL, the parameters that point an instance at it, every demo
 * credential of the built-in demo seed (one per flow: confidential app, certificate app, public client, user,
 * managed identity, broker registration) and the APIs it serves. With a seed file of your own, no secret is
 * printed.
 */
export function formatEmulatorBanner(emulator: BannerEmulator, options: BannerOptions = {}): string {
  const { url, seed } = emulator;
  const demo = seed.tenants.some((tenant) => tenant.id === DEMO_TENANT_ID);
  const tenant = demo ? seed.tenants.find((candidate) => candidate.id === DEMO_TENANT_ID)! : seed.tenants[0];
  const lines = [`msint Entra emulator listening on ${url}`, ""];
  if (tenant) {
    const domain = tenant.domains?.[0];
    lines.push(`  Tenant ID      ${tenant.id}${domain ? ` (${domain})` : ""}`);
    lines.push(`  Token endpoint ${url}/${tenant.id}/oauth2/v2.0/token`);
  }
  lines.push(
    "",
    "  Point an instance at it (Custom cloud; APIs routed by path):",
    `    --param azure_cloud=Custom --param azure_ad_endpoint=${url} --param server_url=${url}`,
  );
  if (emulator.proxyUrl && emulator.caCertFile) {
    lines.push(
      "  Or keep the real cloud host names (storage accounts, vaults, Defender regions) through its proxy:",
      `    export HTTPS_PROXY=${emulator.proxyUrl} NODE_EXTRA_CA_CERTS=${emulator.caCertFile}`,
      "    and --param proxy=true on the instance",
    );
  }
  lines.push("");
  if (demo) lines.push(...demoCredentialLines(emulator, options));
  else lines.push("  Credentials: as in your seed file (not printed).");
  const services = [...new Set(["Microsoft Graph (users)", ...BUILT_IN_SERVICES.map((s) => s.displayName)])];
  lines.push("", `  Serves: ${services.join(", ")}.`);
  return lines.join("\n");
}

/** One line of `msint emulator --log`: time, method, host and path (no query, no headers), status, and who. */
export function formatRequestLine(request: RecordedRequest): string {
  const time = new Date(request.at).toISOString().slice(11, 19);
  const host = request.headers["x-forwarded-host"] ?? request.headers["host"] ?? "";
  const who = request.grantType
    ? ` ${request.grantType}${request.clientId ? ` client ${request.clientId}` : ""}`
    : request.service
      ? ` (${request.service})`
      : "";
  const safe = (text: string) => text.replace(/[^\x20-\x7e]/g, "?");
  return `${time} ${request.method} ${safe(host)}${safe(request.path)} → ${request.status}${who}`;
}
