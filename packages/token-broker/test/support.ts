import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_BROKER_VENDOR_CLIENT_ID, demoSeed, type EmulatorSeed } from "@msint/entra-emulator";
import { type Browser, chromium } from "playwright-core";

/** The vendor app's secret in the test seed (the demo seed gives the vendor app none). */
export const VENDOR_SECRET = "vendor-secret-for-broker-tests";

/** The demo seed, with a secret and the broker's loopback redirect URI on the broker vendor app. */
export function brokerSeed(): EmulatorSeed {
  const seed = structuredClone(demoSeed);
  for (const tenant of seed.tenants) {
    for (const app of tenant.apps) {
      if (app.clientId !== DEMO_BROKER_VENDOR_CLIENT_ID) continue;
      app.secrets = [{ value: VENDOR_SECRET, expiresOn: "2099-12-31T00:00:00Z" }];
      // Entra ignores the port of http loopback redirect URIs.
      app.redirectUris = ["http://127.0.0.1/callback"];
    }
  }
  return seed;
}

/** Every file under `dir`, read raw. */
export async function readTree(dir: string): Promise<Array<{ path: string; data: Buffer }>> {
  const files: Array<{ path: string; data: Buffer }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    files.push({ path, data: await readFile(path) });
  }
  return files;
}

/** The files whose bytes contain `needle` (as UTF-8 text, or raw bytes). */
export function filesContaining(
  files: Array<{ path: string; data: Buffer }>,
  needle: string | Buffer,
): string[] {
  const bytes = typeof needle === "string" ? Buffer.from(needle, "utf8") : needle;
  return files.filter((file) => file.data.includes(bytes)).map((file) => file.path);
}

/**
 * How protocol.test.ts runs its broker: one broker on its embedded database (default), or `replicas` brokers
 * on one PostgreSQL database behind a round-robin load balancer (protocol-replicas.test.ts sets it).
 */
export const protocolMode: { replicas: number } = { replicas: 1 };

/** Debian's Chromium (installed by .ci/run), or CHROMIUM_PATH. */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/** Launches headless Chromium with the flags this machine's closed network needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run apt-get install -y chromium (as .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-quic",
      "--disable-sync",
    ],
  });
}

/** Rows of the registrations table, read from a stopped broker's data directory with PGlite itself. */
export async function countRegistrationRows(dataDir: string): Promise<number> {
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(join(dataDir, "pgdata"));
  try {
    const result = await db.query<{ n: number }>("select count(*)::int as n from registrations");
    return result.rows[0]!.n;
  } finally {
    await db.close();
  }
}
