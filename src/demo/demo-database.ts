import { mkdir, rm } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { acquireFileLock } from "../db/file-lock.ts";
import { CalsyncError } from "../errors.ts";

/** The demo's own embedded database, beside (never inside) the one `calsync serve` uses. */
export const DEMO_DB_DIR = ".calsync/demo-db";

/**
 * Empties the demo's database directory: the sandboxes start with nothing but their seed, and a ledger
 * left from an earlier run would remember bookings and rows that no longer exist. The directory is wiped
 * only under its lock, so a demo still running elsewhere keeps its database.
 */
export async function wipeDemoDatabase(dir: string): Promise<string> {
  if (dir === ":memory:") return dir;
  const path = resolve(dir);
  await mkdir(dirname(path), { recursive: true });
  const lock = await acquireFileLock(path, { timeoutMs: 0, onCompromised: () => {} });
  if (!lock) throw new DemoBusyError(path);
  try {
    await rm(path, { recursive: true, force: true });
  } finally {
    await lock.release();
  }
  return path;
}

export class DemoBusyError extends CalsyncError {
  readonly code = "LOCKED";
  constructor(path: string) {
    super(
      `Another calsync demo is running with the database at ${path}: stop it first (Ctrl-C in its terminal).`,
    );
    this.name = "DemoBusyError";
  }
}
