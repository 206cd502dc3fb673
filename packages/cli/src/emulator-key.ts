import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorFacts } from "./emulator-instances.js";

/**
 * Writes the demo certificate app's private key (an emulator-only key, generated at start) to a file of its own,
 * readable by the owner only, so an instance can name it with `private_key=file:<path>`; `remove` deletes it.
 */
export async function writeDemoKey(
  privateKeyPem: string | undefined,
): Promise<{ path: string; remove(): Promise<void> } | undefined> {
  if (!privateKeyPem) return undefined;
  const folder = await mkdtemp(join(tmpdir(), "msint-emulator-"));
  const path = join(folder, "demo-certificate-key.pem");
  await writeFile(path, privateKeyPem, { mode: 0o600 });
  return { path, remove: () => rm(folder, { recursive: true, force: true }) };
}

type EmulatorModule = typeof import("@msint/entra-emulator");
type Running = Awaited<ReturnType<EmulatorModule["startEmulator"]>>;

/**
 * The broker registration of an integration's Cortex XSOAR application: the broker answers only for the app a
 * registration belongs to, so the demo seed's one registration serves one app. Registers an application-permission
 * registration for `appName` in the running emulator (its seed is live) and returns its ID.
 */
export function brokerRegistrationFor(module: EmulatorModule, emulator: Running, appName: string): string {
  const registrations = emulator.seed.brokerRegistrations ?? [];
  const existing = registrations.find(
    (entry) =>
      entry.appName === appName && entry.kind === "application" && entry.key === module.DEMO_BROKER_KEY,
  );
  if (existing) return existing.id;
  const id = randomUUID();
  registrations.push({
    id,
    appName,
    key: module.DEMO_BROKER_KEY,
    tenantId: module.DEMO_TENANT_ID,
    clientId: module.DEMO_BROKER_VENDOR_CLIENT_ID,
    kind: "application",
  });
  emulator.seed.brokerRegistrations = registrations;
  return id;
}

/**
 * The demo seed's credentials and seeded parameter values, for `msint emulator --instances`; with `brokerAppName`,
 * a broker registration of that app.
 */
export function demoFacts(
  module: EmulatorModule,
  emulator: Running,
  keyFile: string | undefined,
  brokerAppName?: string,
): EmulatorFacts {
  const tenant = emulator.seed.tenants.find((candidate) => candidate.id === module.DEMO_TENANT_ID);
  const app = tenant?.apps.find((candidate) => candidate.clientId === module.DEMO_CLIENT_ID);
  const certificate = emulator.demoCertificate;
  return {
    url: emulator.url,
    tenantId: module.DEMO_TENANT_ID,
    clientId: module.DEMO_CLIENT_ID,
    clientSecret: module.DEMO_CLIENT_SECRET,
    publicClientId: module.DEMO_PUBLIC_CLIENT_ID,
    ...(certificate && keyFile
      ? {
          certificate: {
            clientId: module.DEMO_CERT_CLIENT_ID,
            thumbprint: certificate.thumbprintSha1,
            keyFile,
          },
        }
      : {}),
    ...(app?.redirectUris?.[0] ? { redirectUri: app.redirectUris[0] } : {}),
    identityHeader: emulator.identityHeader,
    // An application registration's Token is the tenant ID (the admin consented for the tenant).
    broker: {
      registrationId: brokerAppName
        ? brokerRegistrationFor(module, emulator, brokerAppName)
        : module.DEMO_BROKER_APP_REGISTRATION_ID,
      token: module.DEMO_TENANT_ID,
      key: module.DEMO_BROKER_KEY,
    },
    parameters: module.DEMO_INSTANCE_PARAMETERS,
    proxy: emulator.proxyUrl !== undefined,
    sasToken: module.demoAccountSas(),
  };
}
