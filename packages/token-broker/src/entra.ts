import {
  CLIENT_ASSERTION_TYPE,
  createClientAssertion,
  type Transport,
  TransportError,
  tokenEndpoint,
  translateEntraError,
} from "@msint/auth-core/internal";
import type { BrokerApp } from "./config.js";

/** Tokens Microsoft Entra ID issued. */
export interface EntraTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  /** The OpenID Connect ID token of a code redemption (not yet validated). */
  idToken?: string;
}

/** Why Microsoft Entra ID did not issue a token, in words safe to show. */
export interface EntraRefusal {
  /** HTTP status Entra answered with; undefined when it could not be reached. */
  status?: number;
  /** OAuth error, e.g. `invalid_grant`. */
  error: string;
  /** AADSTS codes of the answer. */
  codes: number[];
  /** `AADSTSnnnn: description` without trace lines, or what went wrong on the network. */
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The token request's form: the grant's fields, authenticated with the app's secret or a signed assertion. */
function tokenForm(app: BrokerApp, url: string, fields: Record<string, string>): URLSearchParams {
  const form = new URLSearchParams({ client_id: app.clientId, ...fields });
  if (app.credential.kind === "secret") {
    form.set("client_secret", app.credential.clientSecret);
  } else {
    form.set("client_assertion_type", CLIENT_ASSERTION_TYPE);
    form.set(
      "client_assertion",
      createClientAssertion({
        clientId: app.clientId,
        tokenEndpoint: url,
        certificate: app.credential.certificate,
      }),
    );
  }
  return form;
}

/** The tokens of a 2xx answer, or a refusal when it holds no access token. */
function issuedTokens(status: number, body: string): EntraTokens | EntraRefusal {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  if (isRecord(json) && typeof json["access_token"] === "string" && json["access_token"] !== "") {
    const expiresIn = Number(json["expires_in"]);
    const tokens: EntraTokens = {
      accessToken: json["access_token"],
      expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? Math.floor(expiresIn) : 3599,
    };
    if (typeof json["refresh_token"] === "string" && json["refresh_token"] !== "") {
      tokens.refreshToken = json["refresh_token"];
    }
    if (typeof json["id_token"] === "string" && json["id_token"] !== "") tokens.idToken = json["id_token"];
    return tokens;
  }
  return {
    status,
    error: "invalid_response",
    codes: [],
    message: "Microsoft Entra ID answered without an access token.",
  };
}

/** The refusal of an error answer: its OAuth error, AADSTS codes and cleaned description. */
function refusal(status: number, body: string): EntraRefusal {
  const translated = translateEntraError(status, body);
  const codes = translated.aadsts ?? [];
  const head = codes[0] !== undefined ? `AADSTS${codes[0]}` : (translated.error ?? `HTTP ${status}`);
  const description = translated.description || translated.error || `HTTP ${status}`;
  return {
    status,
    error: translated.error ?? "entra_error",
    codes,
    message: `${head}: ${description}`,
  };
}

/**
 * POSTs one token request for `app` to `<loginHost>/<tenant>/oauth2/v2.0/token`, authenticating with the app's
 * secret or a freshly signed client assertion. Grants that consume a single-use value (an authorization code, a
 * rotating refresh token) are not retried: a lost answer would otherwise burn the grant.
 */
export async function requestToken(
  transport: Transport,
  loginHost: string,
  tenant: string,
  app: BrokerApp,
  fields: Record<string, string>,
): Promise<EntraTokens | EntraRefusal> {
  const url = tokenEndpoint(loginHost, tenant);
  const form = tokenForm(app, url, fields);
  let status: number;
  let body: string;
  try {
    const response = await transport.request({
      method: "POST",
      url,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form.toString(),
      retry: fields["grant_type"] === "client_credentials",
    });
    status = response.status;
    body = response.body;
  } catch (error) {
    const detail = TransportError.isInstance(error) ? error.message : "the request failed";
    return {
      error: "entra_unreachable",
      codes: [],
      message: `Microsoft Entra ID could not be reached: ${detail}`,
    };
  }
  return status >= 200 && status < 300 ? issuedTokens(status, body) : refusal(status, body);
}

/** Whether a result is a refusal. */
export function isRefusal(result: EntraTokens | EntraRefusal): result is EntraRefusal {
  return !("accessToken" in result);
}
