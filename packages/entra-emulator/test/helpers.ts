import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import { DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_TENANT_ID, type RunningEmulator } from "../src/index.js";
import { BUILT_IN_SERVICES } from "../src/services/index.js";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/** POST a form to the emulator's token endpoint. */
export async function postToken(
  emulator: RunningEmulator,
  form: Record<string, string>,
  options: { tenant?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/${options.tenant ?? DEMO_TENANT_ID}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
    body: new URLSearchParams(form),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A client-credentials token for the demo app (or another). */
export async function clientCredentialsToken(
  emulator: RunningEmulator,
  overrides: Record<string, string> = {},
): Promise<string> {
  const { status, body } = await postToken(emulator, {
    grant_type: "client_credentials",
    client_id: DEMO_CLIENT_ID,
    client_secret: DEMO_CLIENT_SECRET,
    scope: GRAPH_SCOPE,
    ...overrides,
  });
  if (status !== 200) throw new Error(`token request failed: ${status} ${JSON.stringify(body)}`);
  return body["access_token"] as string;
}

export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
} {
  const [header, payload] = token.split(".");
  return {
    header: JSON.parse(Buffer.from(header!, "base64url").toString("utf8")),
    claims: JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")),
  };
}

/** Verify a JWT's RS256 signature against the emulator's published JWKS, independently of its code. */
export async function verifyWithJwks(
  emulator: RunningEmulator,
  token: string,
  tenant = DEMO_TENANT_ID,
): Promise<boolean> {
  const jwks = (await (await fetch(`${emulator.url}/${tenant}/discovery/v2.0/keys`)).json()) as {
    keys: Array<Record<string, string>>;
  };
  const { header } = decodeJwt(token);
  const jwk = jwks.keys.find((key) => key["kid"] === header["kid"]);
  if (!jwk) return false;
  const key = createPublicKey({ key: { kty: jwk["kty"]!, n: jwk["n"]!, e: jwk["e"]! }, format: "jwk" });
  const [h, p, s] = token.split(".") as [string, string, string];
  return verify("sha256", Buffer.from(`${h}.${p}`), key, Buffer.from(s, "base64url"));
}

export async function graphGet(
  emulator: RunningEmulator,
  pathAndQuery: string,
  token: string | undefined,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(
    pathAndQuery.startsWith("http") ? pathAndQuery : `${emulator.url}${pathAndQuery}`,
    {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    },
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A controllable clock. */
export function fakeClock(start = Date.parse("2026-11-26T06:00:00Z")) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** A page or redirect as a browser would see it (redirects are not followed). */
export interface BrowserResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The `Location` of a redirect. */
  location: string | undefined;
}

/** A minimal browser for the sign-in pages: keeps cookies, submits forms, never follows redirects. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async #send(url: string, init: RequestInit): Promise<BrowserResponse> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    }
    const response = await fetch(url.startsWith("http") ? url : `${this.baseUrl}${url}`, {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const [name, ...value] = pair!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
      location: response.headers.get("location") ?? undefined,
    };
  }

  get(url: string): Promise<BrowserResponse> {
    return this.#send(url, { method: "GET" });
  }

  /** Submit the page's form with these fields (the hidden `flow` field is carried over). */
  submit(page: BrowserResponse, fields: Record<string, string>): Promise<BrowserResponse> {
    const action = /<form method="post" action="([^"]*)"/.exec(page.text)?.[1];
    if (!action) throw new Error(`no form on the page:\n${page.text}`);
    const flow = /name="flow" value="([^"]*)"/.exec(page.text)?.[1];
    const body = new URLSearchParams({ ...(flow ? { flow } : {}), ...fields });
    return this.#send(action.replace(/&amp;/g, "&"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  }
}

/** PKCE verifier and S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** The query parameters of a redirect `Location`. */
export function redirectParams(location: string | undefined): URLSearchParams {
  if (!location) throw new Error("no redirect");
  return new URL(location).searchParams;
}

/**
 * The Graph roles of the seed's demo apps and managed identities: their grant (User.Read.All) plus the demo roles of
 * every built-in service keyed `graph`, in order and without duplicates (as grantDemoPermissions adds them).
 */
export const DEMO_GRAPH_ROLES: readonly string[] = [
  ...new Set([
    "User.Read.All",
    ...BUILT_IN_SERVICES.filter((service) => service.key === "graph").flatMap(
      (service) => service.demoRoles ?? [],
    ),
  ]),
];
