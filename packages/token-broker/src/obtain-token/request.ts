import { ProtocolError } from "../http.js";

/** The body of `POST /obtain-token`, checked. */
export interface ObtainRequest {
  appName: string;
  registrationId: string;
  /** The client's `encrypted_token`: base64 of nonce, ciphertext and tag under the registration's Key. */
  encryptedToken: string;
  /** Requested scopes (space-separated), or undefined/null for the app's default. */
  scope: string | null | undefined;
  /** A resource URL instead of scopes, or undefined/null. */
  resource: string | null | undefined;
}

/**
 * Parses the JSON body `{ app_name, registration_id, encrypted_token, scope, resource }`.
 * @throws ProtocolError 400 `invalid_request` naming the field at fault.
 */
export function parseObtainRequest(text: string): ObtainRequest {
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error("not an object");
    body = parsed as Record<string, unknown>;
  } catch {
    throw new ProtocolError(
      400,
      "invalid_request",
      "The body must be a JSON object { app_name, registration_id, encrypted_token, scope, resource }.",
    );
  }
  for (const field of ["app_name", "registration_id", "encrypted_token"]) {
    if (typeof body[field] !== "string" || (body[field] as string).trim() === "") {
      throw new ProtocolError(400, "invalid_request", `The field ${field} is missing or not a string.`);
    }
  }
  for (const field of ["scope", "resource"]) {
    if (body[field] !== undefined && body[field] !== null && typeof body[field] !== "string") {
      throw new ProtocolError(400, "invalid_request", `The field ${field} must be a string or null.`);
    }
  }
  return {
    appName: (body["app_name"] as string).trim(),
    registrationId: (body["registration_id"] as string).trim(),
    encryptedToken: body["encrypted_token"] as string,
    scope: body["scope"] as string | null | undefined,
    resource: body["resource"] as string | null | undefined,
  };
}
