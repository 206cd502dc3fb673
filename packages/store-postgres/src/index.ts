/**
 * @msint/store-postgres — the msint context store on PostgreSQL: one encrypted store shared by many hosts, with
 * single-flight token requests across them. Loaded by the CLI only when `MSINT_STORE_URL` (or `--store`) is a
 * postgres:// URL.
 * @module
 */
export { isPostgresUrl, redactUrl } from "./errors.js";
export { MIGRATIONS, type Migration, SCHEMA_VERSION } from "./schema.js";
export {
  migratePostgresStore,
  type OpenPostgresStoreOptions,
  openPostgresStore,
  PostgresStore,
  type PostgresStoreStatus,
  postgresStoreStatus,
} from "./store.js";
