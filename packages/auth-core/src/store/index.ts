/**
 * The context store: the persisted, encrypted state of msint instances (configuration and integration context).
 * @module
 */
export { seal, type UnsealFailure, unseal } from "./codec.js";
export { StoreError, type StoreErrorCode } from "./errors.js";
export { FileStore, type FileStoreOptions } from "./file-store.js";
export {
  parseStoreKey,
  rawStoreKey,
  STORE_SCRYPT,
  type StoreKeyInput,
  scryptStoreKey,
  storeKeyCheck,
} from "./key.js";
export { MemoryStore } from "./memory-store.js";
// The per-key async mutex of the stores (other store packages use it, through @msint/auth-core/internal).
export { KeyedMutex } from "./mutex.js";
export { homeStoreKey, type OpenFileStoreOptions, openFileStore, storeKeyFromEnv } from "./open.js";
export { assertValidKey, type ContextStore, compareKeys } from "./types.js";
