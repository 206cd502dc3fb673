import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEMO_BROKER_APP_REGISTRATION_ID,
  DEMO_BROKER_DELEGATED_REGISTRATION_ID,
  DEMO_BROKER_KEY,
  DEMO_BROKER_REFRESH_TOKEN,
  DEMO_CERT_CLIENT_ID,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  demoSeed,
  type EmulatorSeed,
  formatEmulatorBanner,
  loadSeed,
  startEmulator,
} from "../src/index.js";
import { clientCredentialsToken, graphGet, postToken } from "./helpers.js";

describe("loadSeed", () => {
  it("accepts the demo seed and returns a copy", () => {
    const seed = loadSeed(demoSeed);
    expect(seed).toEqual(demoSeed);
    expect(seed).not.toBe(demoSeed);
    seed.tenants[0]!.apps.length = 0;
    expect(demoSeed.tenants[0]!.apps.length).toBeGreaterThan(0);
  });

  it("lists every problem with its JSON path", () => {
    const bad = {
      tenants: [
        {
          id: "not-a-guid",
          apps: [
            {
              clientId: "04f77691-7058-45b2-bf86-6743a19099f6",
              displayName: "a",
              secrets: [{ value: "x", expiresOn: "soon" }],
            },
            { clientId: "04F77691-7058-45B2-BF86-6743A19099F6", displayName: "b", clientSecret: "typo" },
          ],
          users: [
            { id: "6e7b768e-07e2-4810-8459-485f84f8f204", userPrincipalName: "nobody", displayName: "N" },
          ],
        },
      ],
    };
    let message = "";
    try {
      loadSeed(bad as unknown as EmulatorSeed);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("Invalid emulator seed:");
    expect(message).toContain("seed.tenants[0].id must be a GUID, got 'not-a-guid'");
    expect(message).toContain("seed.tenants[0].apps[0].secrets[0].expiresOn must be an ISO 8601 date");
    expect(message).toContain("seed.tenants[0].apps[1].clientId duplicates client ID");
    expect(message).toContain("seed.tenants[0].apps[1].clientSecret is not a known field");
    expect(message).toContain("seed.tenants[0].users[0].userPrincipalName must look like name@domain");
  });

  it("reads a JSON file and reports unreadable or invalid files clearly", () => {
    const dir = mkdtempSync(join(tmpdir(), "entra-emulator-seed-"));
    const good = join(dir, "seed.json");
    writeFileSync(good, JSON.stringify(demoSeed));
    expect(loadSeed(good).tenants[0]!.id).toBe(DEMO_TENANT_ID);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ tenants: ");
    expect(() => loadSeed(broken)).toThrow(`Invalid emulator seed file ${broken}: not valid JSON`);
    expect(() => loadSeed(join(dir, "missing.json"))).toThrow(/Cannot read emulator seed file/);
    expect(() => loadSeed({} as EmulatorSeed)).toThrow("seed.tenants is required");
  });

  it("checks managed identities, broker registrations and the new tenant, app and user fields", () => {
    const seed = structuredClone(demoSeed) as unknown as Record<string, unknown> & EmulatorSeed;
    seed.tenants[0]!.refreshTokenReuse = "sometimes" as "allow";
    (seed.tenants[0]!.users![0] as unknown as Record<string, unknown>)["isAdmin"] = "yes";
    seed.tenants[0]!.apps[0]!.delegatedPermissions = { graph: [1 as unknown as string] };
    seed.managedIdentities = [
      { tenantId: "11111111-2222-3333-4444-555555555555", principalId: "x" },
      { tenantId: DEMO_TENANT_ID, systemAssigned: true, principalId: "6e7b768e-07e2-4810-8459-485f84f8f204" },
      { tenantId: DEMO_TENANT_ID, systemAssigned: true, principalId: "87d349ed-44d7-43e1-9a83-5f2406dee5bd" },
    ];
    seed.brokerRegistrations = [
      {
        id: "r1",
        appName: "a",
        key: "c2hvcnQ=",
        tenantId: DEMO_TENANT_ID,
        clientId: "00000000-0000-0000-0000-000000000001",
        kind: "other" as "application",
      },
    ];
    let message = "";
    try {
      loadSeed(seed);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      "seed.tenants[0].refreshTokenReuse must be one of 'allow', 'reject', got 'sometimes'",
    );
    expect(message).toContain("seed.tenants[0].users[0].isAdmin must be true or false");
    expect(message).toContain("seed.tenants[0].apps[0].delegatedPermissions.graph[0] must be a string");
    expect(message).toContain("seed.managedIdentities[0].tenantId names no tenant of the seed");
    expect(message).toContain("seed.managedIdentities[0].clientId is required");
    expect(message).toContain("seed.managedIdentities[0].principalId must be a GUID");
    expect(message).toContain("seed.managedIdentities may have only one system-assigned identity");
    expect(message).toContain(
      "seed.brokerRegistrations[0].key must be base64 of a 16, 24 or 32 byte AES key",
    );
    expect(message).toContain("seed.brokerRegistrations[0].clientId names no app of tenant");
    expect(message).toContain("seed.brokerRegistrations[0].kind must be one of 'application', 'delegated'");
  });

  it("startEmulator refuses an invalid seed", async () => {
    await expect(startEmulator({ seed: { tenants: [{ id: "x", apps: [] }] } })).rejects.toThrow(
      /must be a GUID/,
    );
  });
});

describe("startEmulator", () => {
  it("refuses non-loopback hosts", async () => {
    for (const host of ["0.0.0.0", "192.168.1.10", "example.com", "::"]) {
      await expect(startEmulator({ host })).rejects.toThrow(/only binds to loopback/);
    }
  });

  it("binds to loopback with a random port and closes idle keep-alive sockets promptly", async () => {
    const emulator = await startEmulator({ host: "localhost" });
    expect(emulator.url).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    await clientCredentialsToken(emulator); // leaves a keep-alive socket open in fetch's pool
    const started = performance.now();
    await emulator.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await emulator.close(); // idempotent
  });

  it("formats a banner with the URL, IDs and Custom-cloud parameters", async () => {
    const emulator = await startEmulator();
    try {
      const banner = formatEmulatorBanner(emulator);
      expect(banner).toContain(emulator.url);
      expect(banner).toContain(DEMO_TENANT_ID);
      expect(banner).toContain(DEMO_CLIENT_ID);
      expect(banner).toContain("azure_cloud=Custom");
      expect(banner).toContain(`azure_ad_endpoint=${emulator.url}`);
      expect(banner).toContain(`server_url=${emulator.url}`);
      // Every flow's demo credentials, as instance parameters a newcomer pastes.
      expect(banner).toContain(
        `--param tenant_id=${DEMO_TENANT_ID} --param auth_id=${DEMO_CLIENT_ID} --param enc_key=${DEMO_CLIENT_SECRET}`,
      );
      expect(banner).toContain(
        `--param auth_id=${DEMO_PUBLIC_CLIENT_ID} --param tenant_id=${DEMO_TENANT_ID}`,
      );
      expect(banner).toContain(
        `Sign-in user: ${demoSeed.tenants[0]!.users![0]!.userPrincipalName} / ${DEMO_USER_PASSWORD}`,
      );
      expect(banner).toContain(
        `--param auth_id=${DEMO_CERT_CLIENT_ID} --param certificate_thumbprint=${emulator.demoCertificate!.thumbprintSha1}`,
      );
      expect(banner).toContain(
        `export IDENTITY_ENDPOINT=${emulator.url}/msi/token IDENTITY_HEADER=${emulator.identityHeader}`,
      );
      expect(banner).toContain(
        `--param auth_id=${DEMO_BROKER_APP_REGISTRATION_ID}@${emulator.url}/obtain-token --param tenant_id=${DEMO_TENANT_ID} --param enc_key=${DEMO_BROKER_KEY}`,
      );
      expect(banner).toContain(
        `--param auth_id=${DEMO_BROKER_DELEGATED_REGISTRATION_ID}@${emulator.url}/obtain-token --param tenant_id=${DEMO_BROKER_REFRESH_TOKEN} --param enc_key=${DEMO_BROKER_KEY}`,
      );
      expect(formatEmulatorBanner(emulator, { certificateKeyFile: "/tmp/k.pem" })).toContain(
        "--param private_key=file:/tmp/k.pem",
      );
    } finally {
      await emulator.close();
    }
  });

  it("never prints a seeded secret in the banner", async () => {
    const seed: EmulatorSeed = {
      tenants: [
        {
          id: "7d1b7a43-5f0e-4b6e-9d43-1e2f3a4b5c6d",
          apps: [
            {
              clientId: "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d",
              displayName: "x",
              secrets: [{ value: "seeded-secret-9d8e" }],
            },
          ],
        },
      ],
    };
    const emulator = await startEmulator({ seed });
    try {
      expect(formatEmulatorBanner(emulator)).not.toContain("seeded-secret-9d8e");
    } finally {
      await emulator.close();
    }
  });
});

describe("robustness and the request log", () => {
  it("survives malformed input and keeps every request in the log without secrets", async () => {
    const emulator = await startEmulator({ requestLogLimit: 0 });
    try {
      const token = await clientCredentialsToken(emulator);
      const tokenUrl = `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token`;
      const form = { "content-type": "application/x-www-form-urlencoded" };
      // Bad form encoding.
      const badForm = await fetch(tokenUrl, {
        method: "POST",
        headers: form,
        body: "%%%&&&=%zz&grant_type=%E0%A4%A",
      });
      expect(badForm.status).toBe(400);
      // Oversized body → 413.
      const huge = await fetch(tokenUrl, {
        method: "POST",
        headers: form,
        body: "a".repeat(2 * 1024 * 1024),
      });
      expect(huge.status).toBe(413);
      expect(((await huge.json()) as Record<string, unknown>)["error"]).toBe("invalid_request");
      // Garbage JWTs.
      for (const garbage of ["a.b.c", "....", "eyJhbGciOiJub25lIn0.e30.", "x".repeat(10_000)]) {
        expect((await graphGet(emulator, "/v1.0/users", garbage)).status).toBe(401);
      }
      // Odd paths.
      expect((await fetch(`${emulator.url}/%E0%A4%A/oauth2/v2.0/token`, { method: "POST" })).status).toBe(
        400,
      );
      expect((await fetch(`${emulator.url}/nothing/here`)).status).toBe(404);
      expect((await fetch(`${emulator.url}//v1.0/users`)).status).toBe(404);
      // Bearer in the log is redacted; planted secrets never appear.
      const planted = "planted-secret-aa11bb22";
      await postToken(emulator, {
        grant_type: "client_credentials",
        client_id: DEMO_CLIENT_ID,
        client_secret: planted,
        scope: "x",
      });
      await fetch(
        `${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/token?client_secret=${planted}&code=${planted}`,
        { method: "POST" },
      );
      await graphGet(emulator, "/v1.0/users", token);
      // A raw request with a cookie and an odd header.
      await new Promise<void>((resolve, reject) => {
        const req = request(
          `${emulator.url}/v1.0/users`,
          { headers: { cookie: `session=${planted}`, "x-api-key": planted } },
          (res) => {
            res.resume();
            res.on("end", resolve);
          },
        );
        req.on("error", reject);
        req.end();
      });
      // Still healthy.
      expect((await graphGet(emulator, "/v1.0/users?$top=1", token)).status).toBe(200);
      const log = JSON.stringify(emulator.requests);
      expect(log).not.toContain(planted);
      expect(log).not.toContain(token);
      expect(log).not.toContain(DEMO_CLIENT_SECRET);
      expect(log).toContain("Bearer <redacted>");
      expect(emulator.requests.every((entry) => entry.status > 0)).toBe(true);
    } finally {
      await emulator.close();
    }
  });

  it("trims the log past requestLogLimit", async () => {
    const emulator = await startEmulator({ requestLogLimit: 10 });
    try {
      for (let i = 0; i < 30; i++) await fetch(`${emulator.url}/ping/${i}`);
      expect(emulator.requests.length).toBeLessThanOrEqual(11);
      expect(emulator.requests.at(-1)!.path).toBe("/ping/29");
      emulator.clearRequests();
      expect(emulator.requests).toHaveLength(0);
    } finally {
      await emulator.close();
    }
  });

  it("accepts a supplied signing key", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
    const a = await startEmulator({ signingKey: pem });
    const b = await startEmulator({ signingKey: privateKey });
    try {
      const token = await clientCredentialsToken(a);
      expect((await graphGet(b, "/v1.0/users?$top=1", token)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
