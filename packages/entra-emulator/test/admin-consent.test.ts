import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_ADMIN_UPN,
  DEMO_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import { redirectParams, TestBrowser } from "./helpers.js";

const REDIRECT = "http://localhost:8400/callback";

function adminConsentUrl(tenant = DEMO_TENANT_ID): string {
  return `/${tenant}/adminconsent?${new URLSearchParams({ client_id: DEMO_CLIENT_ID, redirect_uri: REDIRECT, state: "admin-state" })}`;
}

describe("admin consent", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  it("needs an administrator, shows the permissions, and redirects with admin_consent=True", async () => {
    const browser = new TestBrowser(emulator.url);
    const page = await browser.get(adminConsentUrl());
    expect(page.text).toContain("Sign in with an administrator account");
    const notAdmin = await browser.submit(page, {
      username: "alexw@contoso.onmicrosoft.com",
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(notAdmin.text).toContain("AADSTS90094");
    const consent = await browser.submit(notAdmin, {
      username: DEMO_ADMIN_UPN,
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(consent.text).toContain("Permissions requested");
    expect(consent.text).toContain("User.Read.All (application permission, graph)");
    expect(consent.text).toContain("for all users in your organization");
    const done = await browser.submit(consent, { action: "accept" });
    expect(done.status).toBe(302);
    expect(done.location!.startsWith(`${REDIRECT}?`)).toBe(true);
    const params = redirectParams(done.location);
    expect(params.get("admin_consent")).toBe("True");
    expect(params.get("tenant")).toBe(DEMO_TENANT_ID);
    expect(params.get("state")).toBe("admin-state");

    // Users of the tenant now skip the consent page for this app.
    const user = new TestBrowser(emulator.url);
    const authorize = await user.get(
      `/${DEMO_TENANT_ID}/oauth2/v2.0/authorize?${new URLSearchParams({
        client_id: DEMO_CLIENT_ID,
        response_type: "code",
        redirect_uri: REDIRECT,
        scope: "openid Mail.Read",
      })}`,
    );
    const signedIn = await user.submit(authorize, {
      username: "isaiahl@contoso.onmicrosoft.com",
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(signedIn.status).toBe(302);
    expect(redirectParams(signedIn.location).get("code")).toBeTruthy();
  });

  it("redirects with access_denied when the admin cancels, and works on /organizations", async () => {
    const browser = new TestBrowser(emulator.url);
    const page = await browser.get(adminConsentUrl("organizations"));
    const consent = await browser.submit(page, {
      username: DEMO_ADMIN_UPN,
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    const cancelled = await browser.submit(consent, { action: "cancel" });
    const params = redirectParams(cancelled.location);
    expect(params.get("error")).toBe("access_denied");
    expect(params.get("error_description")).toMatch(/^AADSTS65004: /);
    expect(params.get("state")).toBe("admin-state");
  });

  it("shows AADSTS50011 for an unregistered redirect URI and 700016 for an unknown app", async () => {
    const browser = new TestBrowser(emulator.url);
    const badRedirect = await browser.get(
      `/${DEMO_TENANT_ID}/adminconsent?client_id=${DEMO_CLIENT_ID}&redirect_uri=${encodeURIComponent("https://evil.example")}`,
    );
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.text).toContain("AADSTS50011");
    const unknown = await browser.get(
      `/${DEMO_TENANT_ID}/adminconsent?client_id=00000000-0000-0000-0000-000000000009`,
    );
    expect(unknown.text).toContain("AADSTS700016");
  });
});
