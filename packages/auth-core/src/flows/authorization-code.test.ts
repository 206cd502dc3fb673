import { constants, createHash, createPublicKey, verify } from "node:crypto";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type CertificateCredential,
  createSelfSignedCertificate,
  parseCertificateCredential,
} from "../certificates.js";
import type { IntegrationContext } from "../context.js";
import { AuthenticationError, MsintError, ParameterError } from "../errors.js";
import { codeChallengeS256, isValidCodeVerifier } from "../pkce.js";
import { getRedactor } from "../redact.js";
import {
  type AuthorizationCodeContext,
  createAuthorizationCodeStrategy,
  createLoginUrl,
  extractAuthorizationCode,
} from "./authorization-code.js";
import {
  decodeJwt,
  entraError,
  type FakeServer,
  startFakeServer,
  testTransport,
  tokenReply,
} from "./fake-server.test-support.js";

const SCOPES = ["https://graph.microsoft.com/User.Read", "https://graph.microsoft.com/Mail.Read"];
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("createLoginUrl", () => {
  it("builds the authorize URL with PKCE S256, state and the sign-in scopes", () => {
    const { url, pendingLogin } = createLoginUrl({
      loginHost: "https://login.microsoftonline.us/",
      tenantId: "tenant-1",
      clientId: "client-1",
      redirectUri: "https://localhost/myapp",
      scopes: ["offline_access", ...SCOPES, "https://graph.microsoft.com/User.Read"],
      now: 1234,
    });
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe(
      "https://login.microsoftonline.us/tenant-1/oauth2/v2.0/authorize",
    );
    expect([...parsed.searchParams.keys()]).toEqual([
      "response_type",
      "client_id",
      "redirect_uri",
      "scope",
      "state",
      "code_challenge",
      "code_challenge_method",
      "response_mode",
    ]);
    expect(Object.fromEntries(parsed.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "client-1",
      redirect_uri: "https://localhost/myapp",
      scope: `offline_access ${SCOPES.join(" ")} openid profile`,
      code_challenge_method: "S256",
      response_mode: "query",
    });
    expect(url).toContain("scope=offline_access%20https%3A%2F%2Fgraph.microsoft.com%2FUser.Read%20");
    expect(parsed.searchParams.get("state")).toBe(pendingLogin.state);
    expect(pendingLogin.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isValidCodeVerifier(pendingLogin.codeVerifier)).toBe(true);
    expect(parsed.searchParams.get("code_challenge")).toBe(codeChallengeS256(pendingLogin.codeVerifier));
    expect(pendingLogin).toMatchObject({ redirectUri: "https://localhost/myapp", createdAt: 1234 });
    expect(url).not.toContain(pendingLogin.codeVerifier);
    expect(parsed.searchParams.has("prompt")).toBe(false);
  });

  it("adds prompt=consent only when asked, and makes a new state and verifier each time", () => {
    const options = {
      loginHost: "https://login.microsoftonline.com",
      tenantId: "t",
      clientId: "c",
      redirectUri: "https://localhost/myapp",
      scopes: SCOPES,
    };
    const first = createLoginUrl({ ...options, consent: true });
    const second = createLoginUrl(options);
    expect(new URL(first.url).searchParams.get("prompt")).toBe("consent");
    expect(first.pendingLogin.state).not.toBe(second.pendingLogin.state);
    expect(first.pendingLogin.codeVerifier).not.toBe(second.pendingLogin.codeVerifier);
  });
});

describe("extractAuthorizationCode", () => {
  const code = "0.AXoAabc-def_ghi.jklMNO123";

  it.each([
    ["the bare code", code],
    ["the bare code with whitespace", `  ${code}\n`],
    ["the redirected URL", `https://localhost/myapp?code=${code}&state=s1&session_state=xyz`],
    ["a fragment", `https://localhost/myapp#code=${code}&state=s1`],
    ["a query string", `code=${code}&session_state=xyz`],
    ["a query string with ?", `?session_state=xyz&code=${code}`],
    ["a quoted URL", `"https://localhost/myapp?code=${code}"`],
  ])("reads %s", (_name, input) => {
    expect(extractAuthorizationCode(input, "s1").code).toBe(code);
  });

  it("returns the state it found", () => {
    expect(extractAuthorizationCode(`https://localhost/?code=${code}&state=abc`)).toEqual({
      code,
      state: "abc",
    });
  });

  it("refuses a code from another login", () => {
    let error: unknown;
    try {
      extractAuthorizationCode(`https://localhost/?code=${code}&state=old`, "new", {
        commandPrefix: "msgraph-user",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as ParameterError).parameter).toBe("Authorization code");
    expect((error as Error).message).toBe(
      "Authorization code comes from a different login: run !msgraph-user-generate-login-url again and use the newest URL.",
    );
  });

  it("turns an error in the redirect into an AuthenticationError with Microsoft's cleaned description", () => {
    const url =
      "https://localhost/myapp?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent+to+access+the+app.%0D%0ATrace+ID%3A+abc%0D%0ACorrelation+ID%3A+def&state=s1";
    let error: unknown;
    try {
      extractAuthorizationCode(url, "s1");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(
      /^The sign-in returned an error instead of a code: AADSTS65004: User declined to consent to access the app\.\n/,
    );
    expect((error as Error).message).not.toContain("Trace ID");
  });

  it.each([
    ["empty", "  ", "Authorization code is empty"],
    ["a URL without a code", "https://localhost/myapp?session_state=x", "holds no code"],
    ["text with spaces", "copy the code here", "contains spaces"],
  ])("explains %s", (_name, input, expected) => {
    expect(() => extractAuthorizationCode(input)).toThrow(expected);
    try {
      extractAuthorizationCode(input);
    } catch (error) {
      expect((error as ParameterError).parameter).toBe("Authorization code");
    }
  });

  it("property: the same code whatever the extra parameters, their order and the form of the paste", () => {
    const codeArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{9,200}$/);
    const extraArb = fc.array(
      fc.tuple(
        fc.constantFrom("session_state", "client_info", "foo", "iss", "x-ms"),
        fc.stringMatching(/^[A-Za-z0-9._~-]{0,30}$/),
      ),
      { maxLength: 5 },
    );
    fc.assert(
      fc.property(
        codeArb,
        extraArb,
        fc.nat(),
        fc.constantFrom("url", "fragment", "query", "bare"),
        fc.constantFrom("", " ", "\n", "\t "),
        (value, extras, position, form, padding) => {
          const pairs = extras.map(([name, extra]) => `${name}=${encodeURIComponent(extra)}`);
          pairs.splice(position % (pairs.length + 1), 0, `code=${encodeURIComponent(value)}`, "state=st");
          const query = pairs.join("&");
          const input =
            form === "url"
              ? `https://localhost/myapp?${query}`
              : form === "fragment"
                ? `https://localhost/myapp#${query}`
                : form === "query"
                  ? query
                  : value;
          expect(extractAuthorizationCode(`${padding}${input}${padding}`, "st").code).toBe(value);
        },
      ),
    );
  });
});

describe("createAuthorizationCodeStrategy", () => {
  let certificate: CertificateCredential;
  let certificatePem: string;

  beforeAll(async () => {
    const created = await createSelfSignedCertificate({ commonName: "msint-auth-code-test" });
    certificatePem = created.certificatePem;
    certificate = parseCertificateCredential({
      privateKey: created.privateKeyPem,
      certificate: created.certificatePem,
    });
  });

  function entra() {
    let issued = 0;
    return startFakeServer((request) => {
      if (request.path !== "/tenant-1/oauth2/v2.0/token") return { status: 404, text: "not found" };
      issued++;
      return tokenReply({ access_token: `at-${issued}`, refresh_token: `rt-${issued}`, expires_in: 3599 });
    });
  }

  function pendingFor(): { url: string; pendingLogin: NonNullable<IntegrationContext["pendingLogin"]> } {
    return createLoginUrl({
      loginHost: server!.url,
      tenantId: "tenant-1",
      clientId: "client-1",
      redirectUri: "https://localhost/myapp",
      scopes: SCOPES,
    });
  }

  it("redeems the pasted redirect URL with the PKCE verifier, stores the refresh token and clears the pending login", async () => {
    server = await entra();
    const { pendingLogin } = pendingFor();
    const pasted = `https://localhost/myapp?code=the-code-1&state=${pendingLogin.state}&session_state=abc`;
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/other",
      authCode: pasted,
      loginHost: server.url,
      transport: testTransport(),
      commandPrefix: "msgraph-user",
    });
    const result = await strategy.fetchToken(SCOPES, { pendingLogin, tokens: {} });
    expect(result.token).toMatchObject({ accessToken: "at-1", refreshToken: "rt-1", expiresInSeconds: 3599 });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=utf-8");
    expect([...request.form]).toEqual([
      ["client_id", "client-1"],
      ["grant_type", "authorization_code"],
      ["code", "the-code-1"],
      // The redirect URI of the login, which must match the authorize request.
      ["redirect_uri", "https://localhost/myapp"],
      ["scope", `${SCOPES.join(" ")} offline_access`],
      ["code_verifier", pendingLogin.codeVerifier],
      ["client_secret", "secret-value-1"],
    ]);
    const context = result.context as AuthorizationCodeContext;
    expect(context.refreshToken).toBe("rt-1");
    expect(context.pendingLogin).toBeUndefined();
    expect(context.tokens).toBeUndefined();
    expect(context.redeemedCodeHash).toBe(createHash("sha256").update(pasted).digest("hex"));
  });

  it("refreshes with the stored refresh token afterwards and rotates it", async () => {
    server = await entra();
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "the-code-1",
      loginHost: server.url,
      transport: testTransport(),
    });
    const first = await strategy.fetchToken(SCOPES, undefined);
    expect(server.requests[0]!.form.get("grant_type")).toBe("authorization_code");
    // No pending login: a code obtained elsewhere is redeemed without PKCE.
    expect(server.requests[0]!.form.has("code_verifier")).toBe(false);
    const second = await strategy.fetchToken(SCOPES, first.context);
    const third = await strategy.fetchToken(SCOPES, second.context);
    expect(server.requests.slice(1).map((r) => [...r.form])).toEqual([
      [
        ["client_id", "client-1"],
        ["grant_type", "refresh_token"],
        ["refresh_token", "rt-1"],
        ["scope", `${SCOPES.join(" ")} offline_access`],
        ["client_secret", "secret-value-1"],
      ],
      [
        ["client_id", "client-1"],
        ["grant_type", "refresh_token"],
        ["refresh_token", "rt-2"],
        ["scope", `${SCOPES.join(" ")} offline_access`],
        ["client_secret", "secret-value-1"],
      ],
    ]);
    expect(second.context?.refreshToken).toBe("rt-2");
    expect(third.context?.refreshToken).toBe("rt-3");
    expect(third.token.accessToken).toBe("at-3");
  });

  it("redeems a code other than the last redeemed one even though a refresh token exists", async () => {
    server = await entra();
    const { pendingLogin } = pendingFor();
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "new-code",
      loginHost: server.url,
      transport: testTransport(),
    });
    const result = await strategy.fetchToken(SCOPES, {
      refreshToken: "old-rt",
      pendingLogin,
      redeemedCodeHash: "old",
    } as AuthorizationCodeContext);
    expect(server.requests[0]!.form.get("grant_type")).toBe("authorization_code");
    expect(server.requests[0]!.form.get("code")).toBe("new-code");
    expect(result.context?.refreshToken).toBe("rt-1");
  });

  it("keeps refreshing a refresh token of unknown origin rather than redeeming the code next to it", async () => {
    server = await entra();
    const { pendingLogin } = pendingFor();
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "probably-the-used-code",
      loginHost: server.url,
      transport: testTransport(),
    });
    const result = await strategy.fetchToken(SCOPES, { refreshToken: "migrated-rt", pendingLogin });
    expect(server.requests[0]!.form.get("grant_type")).toBe("refresh_token");
    expect(result.context?.pendingLogin).toEqual(pendingLogin);
  });

  it("authenticates with a certificate assertion instead of a secret", async () => {
    server = await entra();
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      certificate,
      redirectUri: "https://localhost/myapp",
      authCode: "code=abc&session_state=1",
      loginHost: server.url,
      transport: testTransport(),
    });
    await strategy.fetchToken(SCOPES, undefined);
    const form = server.requests[0]!.form;
    expect(form.get("code")).toBe("abc");
    expect(form.has("client_secret")).toBe(false);
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    const jwt = form.get("client_assertion")!;
    const { header, claims } = decodeJwt(jwt);
    expect(header).toMatchObject({ alg: "PS256", typ: "JWT" });
    expect(header["x5t#S256"]).toBe(Buffer.from(certificate.thumbprintSha256!, "hex").toString("base64url"));
    expect(claims).toMatchObject({
      aud: `${server.url}/tenant-1/oauth2/v2.0/token`,
      iss: "client-1",
      sub: "client-1",
    });
    expect(Number(claims["exp"]) - Number(claims["iat"])).toBe(600);
    const [h, c, s] = jwt.split(".");
    expect(
      verify(
        "sha256",
        Buffer.from(`${h}.${c}`),
        {
          key: createPublicKey(certificatePem),
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
        Buffer.from(s!, "base64url"),
      ),
    ).toBe(true);
  });

  it("refuses a pasted URL from another login before any request", async () => {
    server = await entra();
    const { pendingLogin } = pendingFor();
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "https://localhost/myapp?code=c&state=someone-else",
      loginHost: server.url,
      transport: testTransport(),
      commandPrefix: "azure-nsg",
    });
    await expect(strategy.fetchToken(SCOPES, { pendingLogin })).rejects.toThrow(
      "run !azure-nsg-generate-login-url again and use the newest URL",
    );
    expect(server.requests).toHaveLength(0);
  });

  it("says what to do when there is no code", async () => {
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "  ",
      loginHost: "https://login.microsoftonline.com",
      transport: testTransport(),
      commandPrefix: "msgraph-user",
    });
    const error = await strategy.fetchToken(SCOPES, undefined).catch((e) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect(error.parameter).toBe("Authorization code");
    expect(error.message).toBe(
      "Authorization code is empty: run !msgraph-user-generate-login-url, sign in, and paste the code (or the whole redirected URL) into Authorization code.",
    );
  });

  it("does not send an already redeemed code again when no refresh token came back", async () => {
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "used",
      loginHost: "https://login.microsoftonline.com",
      transport: testTransport(),
      commandPrefix: "p",
    });
    const context: AuthorizationCodeContext = {
      redeemedCodeHash: createHash("sha256").update("used").digest("hex"),
    };
    const error = await strategy.fetchToken(SCOPES, context).catch((e) => e);
    expect(error).toBeInstanceOf(MsintError);
    expect(error.message).toContain("offline_access");
    expect(error.message).toContain("!p-generate-login-url");
  });

  it.each([
    [
      54005,
      "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    ],
    [70008, "The provided authorization code or refresh token has expired due to inactivity."],
  ])("tells to get a new code on AADSTS%i while redeeming", async (code, description) => {
    server = await startFakeServer(() => entraError(400, "invalid_grant", code, description));
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "code-x",
      loginHost: server.url,
      transport: testTransport(),
      commandPrefix: "msgraph-user",
    });
    const error = await strategy.fetchToken(SCOPES, undefined).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(error.message).toContain("run !msgraph-user-generate-login-url again");
    expect(error.message).toContain("Run !msgraph-user-auth-reset to reset the authentication process");
    expect(error.aadsts).toEqual([code]);
    expect(error.message).not.toContain("code-x");
  });

  it.each([50173, 700082])("tells to re-authenticate on AADSTS%i while refreshing", async (code) => {
    server = await startFakeServer(() =>
      entraError(400, "invalid_grant", code, "The refresh token has expired."),
    );
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "code-x",
      loginHost: server.url,
      transport: testTransport(),
      commandPrefix: "msgraph-user",
    });
    const error = await strategy
      .fetchToken(SCOPES, { refreshToken: "rt-stored" } as IntegrationContext)
      .catch((e) => e);
    expect(error.message).toContain(
      "run !msgraph-user-auth-reset, then !msgraph-user-generate-login-url, sign in again",
    );
    expect(server.requests[0]!.form.get("refresh_token")).toBe("rt-stored");
  });

  it("uses an Authorization code of refresh_token:<rt> as a refresh token (XSOAR's hook)", async () => {
    server = await entra();
    const strategy = createAuthorizationCodeStrategy({
      tenantId: "tenant-1",
      clientId: "client-1",
      clientSecret: "secret-value-1",
      redirectUri: "https://localhost/myapp",
      authCode: "refresh_token:rt-from-elsewhere",
      loginHost: server.url,
      transport: testTransport(),
    });
    const result = await strategy.fetchToken(SCOPES, undefined);
    expect(server.requests[0]!.form.get("grant_type")).toBe("refresh_token");
    expect(server.requests[0]!.form.get("refresh_token")).toBe("rt-from-elsewhere");
    expect(result.context?.refreshToken).toBe("rt-1");
  });

  it("has a fingerprint that follows the credential and the code, registers secrets for redaction", () => {
    const make = (secret: string, code: string) =>
      createAuthorizationCodeStrategy({
        tenantId: "t",
        clientId: "c",
        clientSecret: secret,
        redirectUri: "https://localhost/myapp",
        authCode: code,
        loginHost: "https://login.microsoftonline.com",
        transport: testTransport(),
      }).fingerprint;
    const base = make("secret-aaaa", "code-aaaa");
    expect(make("secret-aaaa", "code-aaaa")).toBe(base);
    expect(make("secret-bbbb", "code-aaaa")).not.toBe(base);
    expect(make("secret-aaaa", "code-bbbb")).not.toBe(base);
    expect(base).not.toMatch(/secret|code/);
    expect(getRedactor().redact("secret-aaaa code-bbbb")).not.toMatch(/secret-aaaa|code-bbbb/);
  });
});
