import { createHmac, timingSafeEqual } from "node:crypto";
import { type EmulatorRequest, type EmulatorState, findTenant, findUser } from "../state.js";
import type { SeedTenant, SeedUser } from "../types.js";

/** Name of the sign-in session cookie (Entra's is `ESTSAUTH`). */
export const SESSION_COOKIE = "ESTSAUTH";
/** How long a session lasts without signing in again. */
const SESSION_MS = 24 * 3_600_000;

function mac(state: EmulatorState, payload: string): Buffer {
  return createHmac("sha256", state.store.sessionKey).update(payload).digest();
}

function cookieValue(request: EmulatorRequest, name: string): string | undefined {
  for (const part of (request.headers["cookie"] ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** The signed-in user of the browser's session cookie, if the cookie is genuine, fresh, and the user still enabled. */
export function readSession(
  state: EmulatorState,
  request: EmulatorRequest,
): { tenant: SeedTenant; user: SeedUser } | undefined {
  const value = cookieValue(request, SESSION_COOKIE);
  const [payload, signature] = value?.split(".") ?? [];
  if (!payload || !signature) return undefined;
  const expected = mac(state, payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let session: { u?: string; t?: string; i?: number };
  try {
    session = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof session.i !== "number" || state.now() - session.i > SESSION_MS) return undefined;
  const tenant = findTenant(state.seed, session.t ?? "");
  const user = tenant && findUser(tenant, session.u ?? "");
  if (!tenant || !user || user.accountEnabled === false) return undefined;
  return { tenant, user };
}

/** `Set-Cookie` for a new session: signed, HttpOnly, SameSite=Lax (Secure over the proxy's HTTPS). */
export function sessionCookie(
  state: EmulatorState,
  request: EmulatorRequest,
  tenant: SeedTenant,
  user: SeedUser,
): string {
  const payload = Buffer.from(JSON.stringify({ u: user.id, t: tenant.id, i: state.now() })).toString(
    "base64url",
  );
  const value = `${payload}.${mac(state, payload).toString("base64url")}`;
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${request.secure ? "; Secure" : ""}`;
}
