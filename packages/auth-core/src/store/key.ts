import { createHmac, hkdfSync, scrypt } from "node:crypto";
import { StoreError } from "./errors.js";

/**
 * What `MSINT_STORE_KEY` holds: a raw 256-bit key (`base64:` + 32 bytes in base64, or 64 hex digits), used
 * through HKDF, or a passphrase, stretched with scrypt.
 */
export type StoreKeyInput = { kind: "raw"; key: Buffer } | { kind: "passphrase"; passphrase: string };

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * Reads a store key setting: `base64:<32 bytes>` or 64 hex digits is a raw key; anything else is a passphrase.
 * @throws StoreError "bad-key" for an empty value, or a `base64:` value that is not 32 bytes in base64.
 */
export function parseStoreKey(value: string, variable = "MSINT_STORE_KEY"): StoreKeyInput {
  if (value.length === 0) throw new StoreError("bad-key", `The store key (${variable}) must not be empty.`);
  const trimmed = value.trim();
  if (/^base64:/i.test(trimmed)) {
    const text = trimmed.slice("base64:".length);
    const key = Buffer.from(text, "base64");
    if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== text.replace(/=+$/, "")) {
      throw new StoreError(
        "bad-key",
        `${variable} starts with "base64:" but what follows is not 32 bytes in base64. ` +
          "Generate a key with: openssl rand -base64 32 (and prefix it with base64:).",
      );
    }
    return { kind: "raw", key };
  }
  if (HEX_KEY.test(trimmed)) return { kind: "raw", key: Buffer.from(trimmed, "hex") };
  return { kind: "passphrase", passphrase: value };
}

/**
 * The document key from a raw 256-bit key: HKDF-SHA256 with a fixed context, so the same raw key used for
 * something else never yields this key. Microseconds, where a passphrase costs a scrypt run per process.
 */
export function rawStoreKey(raw: Uint8Array): Buffer {
  if (raw.length !== 32) throw new StoreError("bad-key", "A raw store key must be exactly 32 bytes.");
  return Buffer.from(hkdfSync("sha256", raw, "msint-context-store", "msint document key v1", 32));
}

/** scrypt cost: N = 2^15, r = 8, p = 1 (needs 32 MiB; maxmem leaves headroom). */
export const STORE_SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** The document key from a passphrase and a salt (scrypt, {@link STORE_SCRYPT}). */
export function scryptStoreKey(passphrase: string, salt: Uint8Array): Promise<Buffer> {
  if (passphrase.length === 0) {
    return Promise.reject(
      new StoreError("bad-key", "The store passphrase (MSINT_STORE_KEY) must not be empty."),
    );
  }
  return new Promise<Buffer>((resolvePromise, reject) => {
    scrypt(passphrase, salt, 32, STORE_SCRYPT, (err, derived) => {
      if (err)
        reject(new StoreError("bad-key", `Cannot derive the store key: ${err.message}`, { cause: err }));
      else resolvePromise(derived);
    });
  });
}

/**
 * A key check value: an HMAC of a fixed text under the document key, safe to store next to the documents. Two
 * hosts with the same key compute the same value; a host with another key is refused before it writes
 * anything that the others could not read. It reveals nothing about the key.
 */
export function storeKeyCheck(key: Uint8Array): string {
  return `kcv1:${createHmac("sha256", key).update("msint store key check v1").digest("base64url").slice(0, 32)}`;
}
