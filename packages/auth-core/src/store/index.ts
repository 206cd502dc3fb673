/**
 * The context store: the persisted, encrypted state of msint instances (configuration and integration context).
 * @module
 */
export { StoreError, type StoreErrorCode } from "./errors.js";
export { FileStore, type FileStoreOptions } from "./file-store.js";
export { MemoryStore } from "./memory-store.js";
export { type OpenFileStoreOptions, openFileStore, storeKeyFromEnv } from "./open.js";
export type { ContextStore } from "./types.js";
