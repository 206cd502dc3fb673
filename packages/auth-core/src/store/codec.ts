import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";

/** File magic: "MSINT" followed by format version 1. */
export const MAGIC = Buffer.from("MSINT\x01", "latin1");
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Extension of document files. */
export const DOC_EXT = ".msint";
/** Longest encoded key we accept, leaving room for ".msint", ".lock" and temp-file suffixes under 255 bytes. */
const MAX_ENCODED = 200;

/**
 * Encodes a key into a file-name stem: `[A-Za-z0-9_-]` and non-leading dots are kept (so "graph-prod" stays
 * "graph-prod"), every other character is percent-encoded as UTF-8 (uppercase hex). The result never contains
 * a path separator, never starts with a dot and decodes with `decodeURIComponent`.
 * @throws RangeError when the encoded name would be too long for a file name.
 */
export function encodeKeyName(key: string): string {
  let out = "";
  for (const ch of key) {
    if (/^[A-Za-z0-9_-]$/.test(ch) || (ch === "." && out.length > 0)) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, "utf8"))
        out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  if (out.length > MAX_ENCODED) {
    throw new RangeError(
      `The context store key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)} is too long ` +
        `(its file name would exceed ${MAX_ENCODED} characters).`,
    );
  }
  return out;
}

/** The key a document file name stands for, or undefined for any other file (temp, lock, stray). */
export function decodeFileName(name: string): string | undefined {
  if (!name.endsWith(DOC_EXT)) return undefined;
  const stem = name.slice(0, -DOC_EXT.length);
  if (stem.length === 0) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(stem);
    if (encodeKeyName(key) !== stem) return undefined;
  } catch {
    return undefined;
  }
  return key;
}

/** Additional authenticated data: binds a ciphertext to its format version and its key name. */
function aad(keyName: string): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(keyName, "utf8")]);
}

/** Encrypts: `MAGIC ‖ nonce(12) ‖ ciphertext ‖ tag(16)` with AES-256-GCM, AAD = magic ‖ key name. */
export function seal(key: KeyObject, keyName: string, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(keyName));
  const body = cipher.update(plaintext);
  const final = cipher.final();
  return Buffer.concat([MAGIC, nonce, body, final, cipher.getAuthTag()]);
}

/** Why {@link unseal} failed. */
export type UnsealFailure = "header" | "decrypt";

/** Decrypts a sealed buffer; returns the failure reason instead of throwing. */
export function unseal(key: KeyObject, keyName: string, data: Buffer): Buffer | UnsealFailure {
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return "header";
  if (data.length < MAGIC.length + NONCE_BYTES + TAG_BYTES) return "decrypt";
  const nonce = data.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES);
  const body = data.subarray(MAGIC.length + NONCE_BYTES, data.length - TAG_BYTES);
  const tag = data.subarray(data.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(keyName));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return "decrypt";
  }
}
