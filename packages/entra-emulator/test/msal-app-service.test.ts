import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USER_ASSIGNED_CLIENT_ID, type RunningEmulator, startEmulator } from "../src/index.js";
import { decodeJwt } from "./helpers.js";
import { loadMsal } from "./msal-loader.js";

// MSAL detects the managed-identity source once per process, so the App Service source gets its own test file.
const msal = await loadMsal();

describe.skipIf(!msal)("real @azure/msal-node: App Service managed identity", () => {
  let emulator: RunningEmulator;
  const saved = { ...process.env };
  beforeAll(async () => {
    emulator = await startEmulator();
    process.env["IDENTITY_ENDPOINT"] = `${emulator.url}/msi/token`;
    process.env["IDENTITY_HEADER"] = emulator.identityHeader;
  });
  afterAll(async () => {
    for (const name of ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await emulator.close();
  });

  it("gets a user-assigned identity's token with X-IDENTITY-HEADER", async () => {
    const app = new msal.ManagedIdentityApplication({
      managedIdentityIdParams: { userAssignedClientId: DEMO_USER_ASSIGNED_CLIENT_ID },
    });
    expect(app.getManagedIdentitySource()).toBe("AppService");
    const result = await app.acquireToken({ resource: "https://management.azure.com" });
    expect(decodeJwt(result.accessToken).claims).toMatchObject({
      appid: DEMO_USER_ASSIGNED_CLIENT_ID,
      aud: "https://management.azure.com",
      // The seed grants Reader; the built-in ARM double adds its demo role (Contributor) to identities with grants.
      roles: expect.arrayContaining(["Reader"]),
    });
    const log = emulator.requests.filter((entry) => entry.path === "/msi/token");
    expect(log.at(-1)!.headers["x-identity-header"]).toBe("<redacted>");
  });
});
