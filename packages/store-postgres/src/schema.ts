/**
 * The schema of the PostgreSQL store, as versioned migrations that msint runs itself (`msint store migrate`;
 * an empty database gets the current schema on first use). Each migration runs in one transaction under an
 * advisory lock, so that two hosts migrating at once do it once.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "documents and metadata",
    sql: `
create table msint_meta (
  name text primary key,
  value text not null
);
create table msint_documents (
  name text primary key,
  document bytea not null,
  version bigint not null,
  updated_at timestamptz not null default now()
);
`,
  },
];

/** The schema version this msint works with. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Advisory lock key of migrations ("msint-mg" as a 64-bit number). */
export const MIGRATION_LOCK = "7886763295572323687";
