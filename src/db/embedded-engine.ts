import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Row } from "./database.ts";
import {
  DatabaseError,
  EmbeddedDatabaseBusyError,
  embeddedTarget,
  toDatabaseError,
} from "./database-errors.ts";
import type { Engine, EngineSession } from "./engine.ts";
import { acquireFileLock, type FileLock } from "./file-lock.ts";
import { VALUE_PARSERS } from "./type-parsers.ts";

export type EmbeddedEngineOptions = {
  /** The data directory, or ":memory:". */
  dataDir: string;
  schema?: string | undefined;
  /** How long to wait for another process to close the data directory. */
  lockTimeoutMs: number;
  onWait?: ((message: string) => void) | undefined;
  /** A data directory dumped by PGlite to start from instead of running initdb (~1 s instead of ~6 s; tests). */
  loadDataDir?: Blob | undefined;
};

/**
 * PGlite is Postgres compiled to WebAssembly, running inside this process. Two processes with the same data
 * directory open would each keep their own buffers and corrupt it, so the directory is opened only under an
 * exclusive file lock (`<dataDir>.lock`, beside it), taken before PGlite touches the directory and released
 * after PGlite has closed it. A second process waits for the first to close, up to lockTimeoutMs. Holding that
 * lock is also what keeps other processes' sync runs out (see run-lock.ts).
 */
export async function openEmbeddedEngine(options: EmbeddedEngineOptions): Promise<Engine> {
  const inMemory = options.dataDir === ":memory:";
  const dataDir = inMemory ? options.dataDir : resolve(options.dataDir);
  const target = embeddedTarget(dataDir);
  const lost = new AbortController();

  let fileLock: FileLock | undefined;
  if (!inMemory) {
    try {
      await mkdir(dirname(dataDir), { recursive: true });
      fileLock = await acquireFileLock(dataDir, {
        timeoutMs: options.lockTimeoutMs,
        onWait: () =>
          options.onWait?.(
            `Waiting for another calsync process to close the embedded database at ${dataDir}…`,
          ),
        onCompromised: (error) => lost.abort(error),
      });
    } catch (error) {
      throw toDatabaseError(error, target);
    }
    if (!fileLock) throw new EmbeddedDatabaseBusyError(dataDir, options.lockTimeoutMs);
  }

  let pglite: PGlite;
  try {
    pglite = new PGlite({
      ...(inMemory ? {} : { dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: VALUE_PARSERS,
    });
    await pglite.waitReady;
    if (options.schema) {
      // One connection for the whole process, so a session-level search_path holds for every later query.
      await pglite.exec(
        `create schema if not exists "${options.schema}"; set search_path to "${options.schema}"`,
      );
    }
  } catch (error) {
    await fileLock?.release();
    throw toDatabaseError(error, target);
  }

  const assertUsable = () => {
    if (lost.signal.aborted) {
      throw new DatabaseError(
        `lost the lock on the embedded database at ${dataDir} (another process took it over); ` +
          "stopped using it so that two processes never write it at once",
        undefined,
      );
    }
  };

  return {
    kind: "pglite",
    target,
    session: sessionOf(pglite, assertUsable),
    transaction: (fn) => {
      assertUsable();
      return pglite.transaction((tx) => fn(sessionOf(tx, assertUsable)));
    },
    async close() {
      // After losing the lock, another process may own the directory: closing would write to it (checkpoint).
      if (!lost.signal.aborted) await pglite.close();
      await fileLock?.release();
    },
    exclusion: { kind: "embedded-dir-lock", lost: lost.signal },
  };
}

function sessionOf(client: PGlite | Transaction, assertUsable: () => void): EngineSession {
  return {
    async query(sql, params) {
      assertUsable();
      return (await client.query<Row>(sql, [...params])).rows;
    },
    async exec(sql) {
      assertUsable();
      await client.exec(sql);
    },
  };
}
