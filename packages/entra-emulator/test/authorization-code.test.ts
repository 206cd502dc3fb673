import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_NO_GRANT_CLIENT_ID,
  DEMO_NO_GRANT_CLIENT_SECRET,
  DEMO_PUBLIC_CLIENT_ID,
  DEMO_TENANT_ID,
  DEMO_USER_PASSWORD,
  type RunningEmulator,
  startEmulator,
} from "../src/index.js";
import {
  type BrowserResponse,
  decodeJwt,
  fakeClock,
  graphGet,
  pkcePair,
  postToken,
  redirectParams,
  TestBrowser,
  verifyWithJwks,
} from "./helpers.js";

const REDIRECT = "http://localhost:8400/callback";
const ADELE = "adelev@contoso.onmicrosoft.com";
const ALEX = "alexw@contoso.onmicrosoft.com";
const SCOPE = "openid profile offline_access User.Read";

function authorizeUrl(parameters: Record<string, string>): string {
  const query = new URLSearchParams({
    client_id: DEMO_CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state: "state-123",
    ...parameters,
  });
  return `/${DEMO_TENANT_ID}/oauth2/v2.0/authorize?${query}`;
}

/** Sign in on the page shown and accept the consent page if one follows; returns the final response. */
async function signIn(
  browser: TestBrowser,
  page: BrowserResponse,
  username: string,
  password = DEMO_USER_PASSWORD,
): Promise<BrowserResponse> {
  expect(page.text).toContain('id="username"');
  let next = await browser.submit(page, { username, password, action: "signin" });
  if (next.text.includes("Permissions requested")) next = await browser.submit(next, { action: "accept" });
  return next;
}

async function redeem(
  emulator: RunningEmulator,
  code: string,
  verifier: string | undefined,
  overrides: Record<string, string> = {},
) {
  return postToken(emulator, {
    grant_type: "authorization_code",
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    code,
    redirect_uri: REDIRECT,
    scope: SCOPE,
    ...(verifier ? { code_verifier: verifier } : {}),
    ...overrides,
  });
}

describe("authorization code + PKCE", () => {
  const clock = fakeClock(Date.now());
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ now: clock.now });
  });
  afterAll(() => emulator.close());

  it("signs in with a page, asks consent, redirects with a code, and issues delegated tokens", async () => {
    const browser = new TestBrowser(emulator.url);
    const pkce = pkcePair();
    const page = await browser.get(
      authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: "S256", nonce: "nonce-42" }),
    );
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://localhost:8400");
    expect(csp).not.toContain("unsafe-inline");
    for (const id of [
      'id="username"',
      'id="password"',
      'id="signin"',
      '<label for="username"',
      '<label for="password"',
    ]) {
      expect(page.text).toContain(id);
    }
    expect(page.text).toContain("<h1");

    const wrong = await browser.submit(page, { username: ADELE, password: "nope", action: "signin" });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain(
      "AADSTS50126: Error validating credentials due to invalid username or password.",
    );
    const consent = await browser.submit(wrong, {
      username: ADELE,
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(consent.text).toContain("Permissions requested");
    expect(consent.text).toContain("User.Read");
    expect(consent.text).toContain('id="accept"');
    expect(consent.text).toContain('id="cancel"');
    const cookie = consent.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^ESTSAUTH=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);

    const done = await browser.submit(consent, { action: "accept" });
    expect(done.status).toBe(302);
    expect(done.location!.startsWith(`${REDIRECT}?code=`)).toBe(true);
    const params = redirectParams(done.location);
    expect(params.get("state")).toBe("state-123");
    expect(params.get("session_state")).toMatch(/^[0-9a-f-]{36}$/);

    const { status, body } = await redeem(emulator, params.get("code")!, pkce.verifier);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    expect(body["scope"]).toBe("User.Read openid profile");
    expect(body["refresh_token"]).toEqual(expect.any(String));
    const access = decodeJwt(body["access_token"] as string).claims;
    expect(access).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${DEMO_TENANT_ID}/`,
      scp: "User.Read openid profile",
      oid: "6e7b768e-07e2-4810-8459-485f84f8f204",
      sub: "6e7b768e-07e2-4810-8459-485f84f8f204",
      upn: ADELE,
      name: "Adele Vance",
      idtyp: "user",
      appid: DEMO_CLIENT_ID,
      appidacr: "1",
      tid: DEMO_TENANT_ID,
    });
    expect(await verifyWithJwks(emulator, body["access_token"] as string)).toBe(true);
    const id = decodeJwt(body["id_token"] as string).claims;
    expect(id).toMatchObject({
      aud: DEMO_CLIENT_ID,
      iss: `${emulator.url}/${DEMO_TENANT_ID}/v2.0`,
      nonce: "nonce-42",
      preferred_username: ADELE,
      tid: DEMO_TENANT_ID,
      ver: "2.0",
    });
    expect(await verifyWithJwks(emulator, body["id_token"] as string)).toBe(true);
    expect(JSON.parse(Buffer.from(body["client_info"] as string, "base64url").toString())).toEqual({
      uid: "6e7b768e-07e2-4810-8459-485f84f8f204",
      utid: DEMO_TENANT_ID,
    });
    const me = await graphGet(emulator, "/v1.0/me", body["access_token"] as string);
    expect(me.status).toBe(200);
    expect(me.body["userPrincipalName"]).toBe(ADELE);

    // Single use.
    const again = await redeem(emulator, params.get("code")!, pkce.verifier);
    expect(again.status).toBe(400);
    expect(again.body["error"]).toBe("invalid_grant");
    expect(again.body["error_codes"]).toEqual([54005]);
    expect(again.body["error_description"]).toContain(
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    );

    // A second sign-in skips the password (session cookie) and the consent (already given).
    const silent = await browser.get(authorizeUrl({}));
    expect(silent.status).toBe(302);
    expect(redirectParams(silent.location).get("code")).toBeTruthy();
    // prompt=consent shows the consent page again; prompt=login asks the password again.
    expect((await browser.get(authorizeUrl({ prompt: "consent" }))).text).toContain("Permissions requested");
    expect((await browser.get(authorizeUrl({ prompt: "login", login_hint: ADELE }))).text).toContain(
      `value="${ADELE}"`,
    );
  });

  async function freshCode(extra: Record<string, string> = {}, username = ADELE) {
    const browser = new TestBrowser(emulator.url);
    const pkce = pkcePair();
    const page = await browser.get(
      authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: "S256", ...extra }),
    );
    const done = await signIn(browser, page, username);
    expect(done.status).toBe(302);
    return { code: redirectParams(done.location).get("code")!, verifier: pkce.verifier, browser };
  }

  it("refuses a wrong PKCE verifier, a wrong redirect URI, another client, and missing credentials", async () => {
    const { code, verifier } = await freshCode();
    const badVerifier = await redeem(emulator, code, pkcePair().verifier);
    expect(badVerifier.body["error_codes"]).toEqual([501481]);
    expect(badVerifier.body["error_description"]).toContain(
      "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    );
    const badRedirect = await redeem(emulator, code, verifier, {
      redirect_uri: "http://localhost:8400/other",
    });
    expect(badRedirect.body["error"]).toBe("invalid_grant");
    expect(badRedirect.body["error_codes"]).toEqual([500112]);
    const otherClient = await redeem(emulator, code, verifier, {
      client_id: DEMO_NO_GRANT_CLIENT_ID,
      client_secret: DEMO_NO_GRANT_CLIENT_SECRET,
    });
    expect(otherClient.body["error_codes"]).toEqual([70000]);
    const noSecret = await redeem(emulator, code, verifier, { client_secret: "" });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body["error_codes"]).toEqual([7000218]);
    const noVerifier = await redeem(emulator, code, undefined);
    expect(noVerifier.body["error_codes"]).toEqual([900144]);
    // Failed attempts do not use the code up.
    expect((await redeem(emulator, code, verifier)).status).toBe(200);
  });

  it("expires codes after 10 minutes (AADSTS70008) and refuses unknown codes (AADSTS9002313)", async () => {
    const { code, verifier } = await freshCode();
    clock.advance(601_000);
    const expired = await redeem(emulator, code, verifier);
    expect(expired.body["error"]).toBe("invalid_grant");
    expect(expired.body["error_codes"]).toEqual([70008]);
    expect(expired.body["error_description"]).toContain(
      "The provided authorization code or refresh token has expired due to inactivity.",
    );
    const unknown = await redeem(emulator, "not-a-code", verifier);
    expect(unknown.body["error_codes"]).toEqual([9002313]);
  });

  it("shows AADSTS50011 for an unregistered redirect URI, and sends later errors to the redirect URI", async () => {
    const browser = new TestBrowser(emulator.url);
    const page = await browser.get(authorizeUrl({ redirect_uri: "https://evil.example/callback" }));
    expect(page.status).toBe(400);
    expect(page.text).toContain(
      "AADSTS50011: The redirect URI &#39;https://evil.example/callback&#39; specified",
    );
    expect(page.location).toBeUndefined();
    const badType = await browser.get(authorizeUrl({ response_type: "token" }));
    expect(badType.status).toBe(302);
    const params = redirectParams(badType.location);
    expect(params.get("error")).toBe("unsupported_response_type");
    expect(params.get("state")).toBe("state-123");
    const badChallenge = redirectParams(
      (await browser.get(authorizeUrl({ code_challenge: "short", code_challenge_method: "S256" }))).location,
    );
    expect(badChallenge.get("error_description")).toMatch(/^AADSTS501491: /);
    const unknownResource = redirectParams(
      (await browser.get(authorizeUrl({ scope: "api://nothing/read" }))).location,
    );
    expect(unknownResource.get("error")).toBe("invalid_resource");
  });

  it("sends access_denied with error_subcode=cancel when the user cancels consent", async () => {
    const browser = new TestBrowser(emulator.url);
    const page = await browser.get(authorizeUrl({ scope: "openid User.Read.All" }));
    const consent = await browser.submit(page, {
      username: ALEX,
      password: DEMO_USER_PASSWORD,
      action: "signin",
    });
    expect(consent.text).toContain("User.Read.All");
    const cancelled = await browser.submit(consent, { action: "cancel" });
    expect(cancelled.status).toBe(302);
    const params = redirectParams(cancelled.location);
    expect(params.get("error")).toBe("access_denied");
    expect(params.get("error_subcode")).toBe("cancel");
    expect(params.get("error_description")).toMatch(
      /^AADSTS65004: User declined to consent to access the app\./,
    );
    expect(params.get("state")).toBe("state-123");
    expect(cancelled.location!.indexOf("error=")).toBeLessThan(cancelled.location!.indexOf("state="));
  });

  it("answers prompt=none with login_required, then consent_required", async () => {
    const browser = new TestBrowser(emulator.url);
    const none = redirectParams((await browser.get(authorizeUrl({ prompt: "none" }))).location);
    expect(none.get("error")).toBe("login_required");
    expect(none.get("error_description")).toMatch(/^AADSTS50058: /);
    const page = await browser.get(authorizeUrl({ scope: "openid profile offline_access User.Read" }));
    await signIn(browser, page, "diegos@contoso.onmicrosoft.com");
    const consent = redirectParams(
      (await browser.get(authorizeUrl({ prompt: "none", scope: "Mail.Read" }))).location,
    );
    expect(consent.get("error")).toBe("consent_required");
    expect(consent.get("error_description")).toMatch(/^AADSTS65001: /);
  });

  it("supports response_mode=form_post with a nonce-allowed script and the redirect origin in form-action", async () => {
    const { browser } = await freshCode();
    const page = await browser.get(authorizeUrl({ response_mode: "form_post" }));
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<form method="post" action="${REDIRECT}">`);
    expect(page.text).toMatch(/name="code" value="[^"]+"/);
    expect(page.text).toContain('name="state" value="state-123"');
    const csp = page.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!;
    expect(page.text).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("form-action 'self' http://localhost:8400");
  });

  it("lets public clients redeem without a secret (loopback redirect port ignored), but not with one", async () => {
    const browser = new TestBrowser(emulator.url);
    const pkce = pkcePair();
    const redirect = "http://localhost:53117";
    const page = await browser.get(
      authorizeUrl({
        client_id: DEMO_PUBLIC_CLIENT_ID,
        redirect_uri: redirect,
        code_challenge: pkce.challenge,
        code_challenge_method: "S256",
        scope: "User.Read",
      }),
    );
    const done = await signIn(browser, page, ADELE);
    const code = redirectParams(done.location).get("code")!;
    const form = {
      grant_type: "authorization_code",
      client_id: DEMO_PUBLIC_CLIENT_ID,
      code,
      redirect_uri: redirect,
      code_verifier: pkce.verifier,
    };
    const withSecret = await postToken(emulator, { ...form, client_secret: "x" });
    expect(withSecret.body["error_codes"]).toEqual([700025]);
    const ok = await postToken(emulator, form);
    expect(ok.status).toBe(200);
    expect(ok.body["refresh_token"]).toBeUndefined(); // no offline_access requested
    expect(ok.body["id_token"]).toBeUndefined(); // no openid requested
    expect(decodeJwt(ok.body["access_token"] as string).claims["appidacr"]).toBe("0");
  });

  it("answers a sign-in that asked for openid with an ID token, even when the redemption's scope omits it", async () => {
    const browser = new TestBrowser(emulator.url);
    const pkce = pkcePair();
    const page = await browser.get(
      authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: "S256", nonce: "n-0815" }),
    );
    const done = await signIn(browser, page, ALEX);
    const code = redirectParams(done.location).get("code")!;
    const { status, body } = await redeem(emulator, code, pkce.verifier, { scope: "User.Read" });
    expect(status).toBe(200);
    const id = decodeJwt(body["id_token"] as string);
    expect(id.header).toMatchObject({ alg: "RS256", kid: emulator.signingKeyId() });
    // The claims an OpenID Connect relying party checks (Microsoft identity platform ID token reference).
    expect(id.claims).toMatchObject({
      aud: DEMO_CLIENT_ID,
      iss: `${emulator.url}/${DEMO_TENANT_ID}/v2.0`,
      nonce: "n-0815",
      tid: DEMO_TENANT_ID,
      oid: "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
      preferred_username: ALEX,
    });
    expect(id.claims["exp"]).toBeGreaterThan(id.claims["iat"] as number);
    expect(await verifyWithJwks(emulator, body["id_token"] as string)).toBe(true);
  });
});
