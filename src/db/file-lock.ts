import lockfile from "proper-lockfile";
import { pollWithBackoff } from "./backoff.ts";

/**
 * A lock not refreshed for this long belongs to a process that died without cleaning up (SIGKILL, power loss)
 * and is taken over. Ordinary exits, Ctrl-C included, remove the lock at once (proper-lockfile's exit hook).
 * Generous because the main thread may be busy for a while (a long synchronous stretch blocks the timer that
 * refreshes the lock), and the lock must survive that. Only the demo uses it now (its directory, wiped at start);
 * the embedded database itself is shared by processes, with runs serialized by run-lock.ts.
 */
const STALE_MS = 30_000;
const REFRESH_MS = 5_000;

export type FileLock = { release(): Promise<void> };

/**
 * Takes the exclusive lock on `path`, held as the directory `${path}.lock` (mkdir is atomic, also on network
 * file systems; `path` itself need not exist). Waits up to timeoutMs for another holder and returns undefined if
 * it still has it. `onCompromised` runs if the lock is ever taken from us (we looked stale to someone).
 */
export async function acquireFileLock(
  path: string,
  options: {
    timeoutMs: number;
    onWait?: (() => void) | undefined;
    onCompromised: (error: Error) => void;
  },
): Promise<FileLock | undefined> {
  const unlock = await pollWithBackoff(
    async () => {
      try {
        return await lockfile.lock(path, {
          lockfilePath: `${path}.lock`,
          realpath: false,
          stale: STALE_MS,
          update: REFRESH_MS,
          retries: 0,
          onCompromised: options.onCompromised,
        });
      } catch (error) {
        if ((error as { code?: unknown }).code === "ELOCKED") return undefined;
        throw error;
      }
    },
    { timeoutMs: options.timeoutMs, onWait: options.onWait },
  );
  if (!unlock) return undefined;

  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await unlock();
      } catch (error) {
        // ERELEASED: the lock was already taken from us, and onCompromised has said so.
        if ((error as { code?: unknown }).code !== "ERELEASED") throw error;
      }
    },
  };
}
