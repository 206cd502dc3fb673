import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from "node:crypto";

// Everything the broker keeps secret at rest derives from one master key (MSINT_BROKER_MASTER_KEY): the key that
// encrypts registration keys, the key of the token hashes (a pepper: a copy of the database alone cannot even test
// guessed tenant IDs against them) and the key that seals the OAuth `state`.

/** The keys derived from the master key, one per purpose. */
export interface BrokerKeys {
  /** AES-256-GCM key of the stored registration keys. */
  registrationKey: Buffer;
  /** HMAC-SHA256 key of the token hashes. */
  tokenHash: Buffer;
  /** AES-256-GCM key of the OAuth `state` values. */
  state: Buffer;
  /** HMAC key of the check value that detects a wrong master key at start. */
  check: Buffer;
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Derives the purpose keys from 32 bytes of master key material (HKDF-SHA256). */
export function deriveKeys(master: Buffer): BrokerKeys {
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", master, "msint-token-broker", info, 32));
  return {
    registrationKey: derive("registration-key-encryption"),
    tokenHash: derive("token-hash"),
    state: derive("oauth-state"),
    check: derive("master-key-check"),
  };
}

/**
 * Turns `MSINT_BROKER_MASTER_KEY` into key material: 32 bytes in base64 (`openssl rand -base64 32`) are used as
 * they are; anything else is a passphrase (16 characters or more) stretched with scrypt and the database's salt.
 * @returns undefined for a passphrase that is too short.
 */
export function masterKeyFrom(value: string, salt: Buffer): Buffer | undefined {
  const trimmed = value.trim();
  if (/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, "base64");
    if (decoded.length === 32) return decoded;
  }
  if (trimmed.length < 16) return undefined;
  return scryptSync(trimmed, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

/** The value stored to recognise the master key later. */
export function keyCheckValue(keys: BrokerKeys): string {
  return createHmac("sha256", keys.check).update("msint-token-broker master key").digest("base64");
}

/** Constant-time equality of two strings or byte arrays of any length. */
export function safeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const digest = (value: Uint8Array | string) => createHash("sha256").update(value).digest();
  // Comparing digests keeps the comparison constant-time even when the lengths differ.
  return timingSafeEqual(digest(a), digest(b));
}

/** AES-256-GCM: nonce ‖ ciphertext ‖ tag, with `aad` bound to the data. */
export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const encrypted = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([nonce, encrypted, cipher.getAuthTag()]);
}

/** Reverses {@link seal}; undefined when the data was altered, or sealed with another key or `aad`. */
export function unseal(key: Buffer, sealed: Uint8Array, aad: string): Buffer | undefined {
  const data = Buffer.from(sealed);
  if (data.length < NONCE_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return undefined;
  }
}

/** The stored form of a token: HMAC-SHA256 keyed with the master-derived key over a per-row salt and the token. */
export function hashToken(keys: BrokerKeys, salt: Uint8Array, token: string): Buffer {
  return createHmac("sha256", keys.tokenHash).update(salt).update(token, "utf8").digest();
}

/** A fresh per-row salt. */
export function newSalt(): Buffer {
  return randomBytes(16);
}
