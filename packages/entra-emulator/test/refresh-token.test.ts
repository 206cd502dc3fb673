import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  demoSeed,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { decodeJwt, fakeClock, postToken } from "./helpers.js";

const MEGAN = "meganb@contoso.onmicrosoft.com";

function refresh(emulator: RunningEmulator, refreshToken: string, extra: Record<string, string> = {}) {
  return postToken(emulator, {
    grant_type: "refresh_token",
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    refresh_token: refreshToken,
    scope: "openid offline_access User.Read",
    ...extra,
  });
}

describe("refresh tokens", () => {
  const clock = fakeClock(Date.now());
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now, refreshTokenLifetimeSeconds: 3600 });
  });
  afterAll(() => emulator.close());

  const mint = (userId = MEGAN, clientId = DEMO_CLIENT_ID) =>
    emulator.issueRefreshToken({ tenantId: DEMO_TENANT_ID, clientId, userId });

  it("rotates: each use returns a new refresh token; the old one stays valid (Entra's behaviour)", async () => {
    const first = mint();
    const a = await refresh(emulator, first);
    expect(a.status).toBe(200);
    const second = a.body["refresh_token"] as string;
    expect(second).toEqual(expect.any(String));
    expect(second).not.toBe(first);
    expect(a.body["id_token"]).toEqual(expect.any(String));
    const claims = decodeJwt(a.body["access_token"] as string).claims;
    expect(claims).toMatchObject({ upn: MEGAN, idtyp: "user", aud: "https://graph.microsoft.com" });
    expect(claims["scp"]).toContain("User.Read");
    const reuse = await refresh(emulator, first);
    expect(reuse.status).toBe(200);
    expect((await refresh(emulator, second)).status).toBe(200);
  });

  it("uses the grant's scopes when the request sends none, and needs consent for a new resource", async () => {
    const token = mint();
    const noScope = await refresh(emulator, token, { scope: "" });
    expect(noScope.status).toBe(200);
    const arm = await refresh(emulator, token, { scope: "https://management.azure.com/user_impersonation" });
    expect(arm.status).toBe(400);
    expect(arm.body["error"]).toBe("invalid_grant");
    expect(arm.body["error_codes"]).toEqual([65001]);
    emulator.grantConsent({
      tenantId: DEMO_TENANT_ID,
      clientId: DEMO_CLIENT_ID,
      userId: MEGAN,
      scopes: ["https://management.azure.com/user_impersonation"],
    });
    const consented = await refresh(emulator, token, {
      scope: "https://management.azure.com/user_impersonation",
    });
    expect(consented.status).toBe(200);
    expect(decodeJwt(consented.body["access_token"] as string).claims).toMatchObject({
      aud: "https://management.azure.com",
      scp: "user_impersonation",
    });
    expect(consented.body["scope"]).toBe("https://management.azure.com/user_impersonation");
  });

  it("revokes: the next use answers AADSTS50173", async () => {
    const token = mint("adelev@contoso.onmicrosoft.com");
    const other = mint();
    expect(emulator.revokeRefreshTokens({ userId: "adelev@contoso.onmicrosoft.com" })).toBeGreaterThanOrEqual(
      1,
    );
    const revoked = await refresh(emulator, token);
    expect(revoked.status).toBe(400);
    expect(revoked.body["error"]).toBe("invalid_grant");
    expect(revoked.body["error_codes"]).toEqual([50173]);
    expect(revoked.body["error_description"]).toContain(
      "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
    );
    expect((await refresh(emulator, other)).status).toBe(200);
    expect(emulator.revokeRefreshTokens({ clientId: DEMO_CLIENT_ID })).toBeGreaterThan(0);
    expect((await refresh(emulator, other)).body["error_codes"]).toEqual([50173]);
  });

  it("expires after its lifetime with AADSTS700082", async () => {
    const token = mint();
    clock.advance(3601_000);
    const expired = await refresh(emulator, token);
    expect(expired.body["error_codes"]).toEqual([700082]);
    expect(expired.body["error_description"]).toContain("The refresh token has expired due to inactivity.");
  });

  it("binds the token to its client, and to its tenant on tenant-specific URLs", async () => {
    const token = mint();
    const other = await refresh(emulator, token, {
      client_id: DEMO_NO_GRANT_CLIENT_ID,
      client_secret: DEMO_NO_GRANT_CLIENT_SECRET,
    });
    expect(other.body["error_codes"]).toEqual([70000]);
    const unknown = await refresh(emulator, "garbage");
    expect(unknown.body["error_codes"]).toEqual([9002313]);
    const organizations = await postToken(
      emulator,
      {
        grant_type: "refresh_token",
        client_id: DEMO_CLIENT_ID,
        client_secret: DEMO_CLIENT_SECRET,
        refresh_token: token,
        scope: "User.Read",
      },
      { tenant: "organizations" },
    );
    expect(organizations.status).toBe(200);
  });

  it("lets public clients refresh without a secret", async () => {
    const token = mint(MEGAN, DEMO_PUBLIC_CLIENT_ID);
    const { status, body } = await postToken(emulator, {
      grant_type: "refresh_token",
      client_id: DEMO_PUBLIC_CLIENT_ID,
      refresh_token: token,
      scope: "User.Read offline_access",
    });
    expect(status).toBe(200);
    expect(decodeJwt(body["access_token"] as string).claims["appidacr"]).toBe("0");
  });
});

describe("refresh-token reuse set to reject", () => {
  it("answers AADSTS70008 for a rotated token (emulator option and tenant seed field)", async () => {
    const seed = structuredClone(demoSeed);
    seed.tenants[0]!.refreshTokenReuse = "reject";
    for (const options of [{ refreshTokenReuse: "reject" as const }, { seed }]) {
      const emulator = await startEmulator(options);
      try {
        const first = emulator.issueRefreshToken({
          tenantId: DEMO_TENANT_ID,
          clientId: DEMO_CLIENT_ID,
          userId: MEGAN,
        });
        const rotated = await refresh(emulator, first);
        expect(rotated.status).toBe(200);
        const reuse = await refresh(emulator, first);
        expect(reuse.status).toBe(400);
        expect(reuse.body["error"]).toBe("invalid_grant");
        expect(reuse.body["error_codes"]).toEqual([70008]);
        expect((await refresh(emulator, rotated.body["refresh_token"] as string)).status).toBe(200);
      } finally {
        await emulator.close();
      }
    }
  });
});
