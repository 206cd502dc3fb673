import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { decodeJwt, fakeClock, postToken, TestBrowser } from "./helpers.js";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const SCOPE = "openid offline_access User.Read";

async function start(emulator: RunningEmulator, tenant = DEMO_TENANT_ID, clientId = DEMO_PUBLIC_CLIENT_ID) {
  const response = await fetch(`${emulator.url}/${tenant}/oauth2/v2.0/devicecode`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId, scope: SCOPE }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function poll(
  emulator: RunningEmulator,
  deviceCode: string,
  extra: Record<string, string> = {},
  tenant = DEMO_TENANT_ID,
) {
  return postToken(
    emulator,
    { grant_type: DEVICE_GRANT, client_id: DEMO_PUBLIC_CLIENT_ID, device_code: deviceCode, ...extra },
    { tenant },
  );
}

describe("device code flow", () => {
  const clock = fakeClock(Date.now());
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
  });
  afterAll(() => emulator.close());

  it("starts with Entra's response shape", async () => {
    const { status, body } = await start(emulator);
    expect(status).toBe(200);
    expect(body["user_code"]).toMatch(/^[A-Z0-9]{9}$/);
    expect(body["device_code"]).toEqual(expect.any(String));
    expect(body).toMatchObject({
      verification_uri: `${emulator.url}/devicelogin`,
      expires_in: 900,
      interval: 5,
    });
    expect(body["message"]).toBe(
      `To sign in, use a web browser to open the page ${emulator.url}/devicelogin and enter the code ${body["user_code"]} to authenticate.`,
    );
    expect(emulator.lastDeviceCode()).toMatchObject({
      userCode: body["user_code"],
      status: "pending",
      clientId: DEMO_PUBLIC_CLIENT_ID,
    });
  });

  it("answers authorization_pending, then tokens once (approved by helper), then AADSTS90120", async () => {
    const { body } = await start(emulator);
    const pending = await poll(emulator, body["device_code"] as string);
    expect(pending.status).toBe(400);
    expect(pending.body["error"]).toBe("authorization_pending");
    expect(pending.body["error_codes"]).toEqual([70016]);
    emulator.approveDeviceCode(body["user_code"] as string, "isaiahl@contoso.onmicrosoft.com");
    const done = await poll(emulator, body["device_code"] as string);
    expect(done.status).toBe(200);
    expect(done.body["refresh_token"]).toEqual(expect.any(String));
    expect(done.body["id_token"]).toEqual(expect.any(String));
    expect(decodeJwt(done.body["access_token"] as string).claims).toMatchObject({
      upn: "isaiahl@contoso.onmicrosoft.com",
      appid: DEMO_PUBLIC_CLIENT_ID,
      appidacr: "0",
    });
    const again = await poll(emulator, body["device_code"] as string);
    expect(again.body["error"]).toBe("invalid_grant");
    expect(again.body["error_codes"]).toEqual([90120]);
  });

  it("answers authorization_declined, expired_token and bad_verification_code", async () => {
    const declined = (await start(emulator)).body;
    emulator.declineDeviceCode(declined["user_code"] as string);
    const no = await poll(emulator, declined["device_code"] as string);
    expect(no.body["error"]).toBe("authorization_declined");
    const expired = (await start(emulator)).body;
    emulator.expireDeviceCode(expired["user_code"] as string);
    const late = await poll(emulator, expired["device_code"] as string);
    expect(late.body["error"]).toBe("expired_token");
    expect(late.body["error_codes"]).toEqual([70019]);
    const timedOut = (await start(emulator)).body;
    clock.advance(901_000);
    expect((await poll(emulator, timedOut["device_code"] as string)).body["error"]).toBe("expired_token");
    const bad = await poll(emulator, "not-a-device-code");
    expect(bad.body["error"]).toBe("bad_verification_code");
    expect(bad.body["error_codes"]).toEqual([70018]);
  });

  it("accepts XSOAR's legacy 'code' field and the short grant type, and logs which field was used", async () => {
    const { body } = await start(emulator, "organizations");
    emulator.approveDeviceCode(body["user_code"] as string, "alexw@contoso.onmicrosoft.com");
    const legacy = await postToken(
      emulator,
      { grant_type: DEVICE_GRANT, client_id: DEMO_PUBLIC_CLIENT_ID, code: body["device_code"] as string },
      { tenant: "organizations" },
    );
    expect(legacy.status).toBe(200);
    const entry = emulator.tokenRequests().at(-1)!;
    expect(entry.deviceCodeField).toBe("code");
    expect(entry.query).toEqual({});
    const short = (await start(emulator)).body;
    emulator.approveDeviceCode(short["user_code"] as string, "alexw@contoso.onmicrosoft.com");
    const ok = await postToken(emulator, {
      grant_type: "device_code",
      client_id: DEMO_PUBLIC_CLIENT_ID,
      device_code: short["device_code"] as string,
    });
    expect(ok.status).toBe(200);
    expect(emulator.tokenRequests().at(-1)!.deviceCodeField).toBe("device_code");
  });

  it("refuses a client secret from a public client (AADSTS700025) and a confidential client without one", async () => {
    const { body } = await start(emulator);
    const withSecret = await poll(emulator, body["device_code"] as string, { client_secret: "s3cr3t" });
    expect(withSecret.body["error"]).toBe("invalid_client");
    expect(withSecret.body["error_codes"]).toEqual([700025]);
    expect(withSecret.body["error_description"]).toContain(
      "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
    );
    const confidential = (await start(emulator, DEMO_TENANT_ID, DEMO_CLIENT_ID)).body;
    const noSecret = await postToken(emulator, {
      grant_type: DEVICE_GRANT,
      client_id: DEMO_CLIENT_ID,
      device_code: confidential["device_code"] as string,
    });
    expect(noSecret.body["error_codes"]).toEqual([7000218]);
  });

  it("checks the devicecode request: client_id, known app, scope", async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${emulator.url}/${DEMO_TENANT_ID}/oauth2/v2.0/devicecode`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      }));
    expect((await post({ scope: SCOPE })).body["error_codes"]).toEqual([900144]);
    expect(
      (await post({ client_id: "00000000-0000-0000-0000-000000000001", scope: SCOPE })).body["error_codes"],
    ).toEqual([700016]);
    expect((await post({ client_id: DEMO_PUBLIC_CLIENT_ID })).body["error_codes"]).toEqual([900144]);
  });

  it("signs in through the /devicelogin pages: code, password, consent, success", async () => {
    const { body } = await start(emulator);
    const browser = new TestBrowser(emulator.url);
    const codePage = await browser.get("/devicelogin");
    expect(codePage.text).toContain('id="otc"');
    expect(codePage.text).toContain('id="next"');
    expect(codePage.headers.get("x-frame-options")).toBe("DENY");
    const wrongCode = await browser.submit(codePage, { otc: "NOPE12345" });
    expect(wrongCode.text).toContain("AADSTS70018");
    const signIn = await browser.submit(codePage, { otc: (body["user_code"] as string).toLowerCase() });
    expect(signIn.text).toContain('id="password"');
    expect(signIn.text).toContain('id="cancel"');
    const consent = await browser.submit(signIn, {
      username: "lynner@contoso.onmicrosoft.com",
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(consent.text).toContain("AADSTS50057"); // Lynne's account is disabled
    const next = await browser.submit(consent, {
      username: "diegos@contoso.onmicrosoft.com",
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(next.text).toContain("Permissions requested");
    const done = await browser.submit(next, { action: "accept" });
    expect(done.text).toContain(
      "You have signed in to the msint demo (public client) application on your device. You may now close this window.",
    );
    const tokens = await poll(emulator, body["device_code"] as string);
    expect(tokens.status).toBe(200);
    expect(decodeJwt(tokens.body["access_token"] as string).claims["upn"]).toBe(
      "diegos@contoso.onmicrosoft.com",
    );

    // A second device sign-in in the same browser: session cookie, consent given → confirm, then done.
    const second = (await start(emulator)).body;
    const confirm = await browser.submit(await browser.get("/devicelogin"), {
      otc: second["user_code"] as string,
    });
    expect(confirm.text).toContain("Are you trying to sign in to msint demo (public client)?");
    const declined = await browser.submit(confirm, { action: "cancel" });
    expect(declined.text).toContain("You have declined to sign in");
    expect((await poll(emulator, second["device_code"] as string)).body["error"]).toBe(
      "authorization_declined",
    );
  });
});

describe("device code slow_down", () => {
  it("answers slow_down (RFC 8628) when polled faster than the interval, with deviceCodeSlowDown", async () => {
    const clock = fakeClock(Date.now());
    const emulator = await startEmulator({
      now: clock.now,
      deviceCodeSlowDown: true,
      deviceCodeIntervalSeconds: 2,
    });
    try {
      const { body } = await start(emulator);
      expect(body["interval"]).toBe(2);
      expect((await poll(emulator, body["device_code"] as string)).body["error"]).toBe(
        "authorization_pending",
      );
      const fast = await poll(emulator, body["device_code"] as string);
      expect(fast.status).toBe(400);
      expect(fast.body["error"]).toBe("slow_down");
      clock.advance(2_500); // the interval is now 7 s: still too fast, and it grows to 12 s
      expect((await poll(emulator, body["device_code"] as string)).body["error"]).toBe("slow_down");
      clock.advance(12_000);
      expect((await poll(emulator, body["device_code"] as string)).body["error"]).toBe(
        "authorization_pending",
      );
    } finally {
      await emulator.close();
    }
  });
});
