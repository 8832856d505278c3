import { SQLITE_NOW } from "./schema.ts";

/**
 * The sheet copy's memory (migration 0004): per lead document, the content hash last written to Sanity, so a
 * copy sends only rows that changed, and whether it was archived (its row left the sheet).
 */
export const SHEET_COPY_TABLES = `
create table if not exists sheet_copy_documents (
  doc_id text primary key,
  lead_key text,
  content_hash text,
  archived boolean not null default false,
  copied_at timestamptz not null default now()
);
`;

export const SQLITE_SHEET_COPY_TABLES = `
create table sheet_copy_documents (
  doc_id text primary key,
  lead_key text,
  content_hash text,
  archived boolean not null default false,
  copied_at text not null default ${SQLITE_NOW}
);
`;
