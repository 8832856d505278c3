import type { Runtime } from "../app/runtime.ts";
import { redactText } from "../log/redact.ts";
import { DBR_LEAD_TYPE } from "../sanity/lead-document.ts";

export type Reachability = { system: string; ok: boolean; detail: string };

export type ReachabilityProbe = { check(): Promise<{ checkedAt: string; systems: Reachability[] }> };

/**
 * Whether each system answers, by one small real request each (Cal.com: one booking; Google Sheets: the
 * sheet; Sanity: a count; the database: `select 1`). The answer is kept for `cacheMs`, so reloading the page
 * does not spend API quota.
 */
export function createReachabilityProbe(
  runtime: Runtime,
  options: { cacheMs?: number; timeoutMs?: number } = {},
): ReachabilityProbe {
  const cacheMs = options.cacheMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 8_000;
  let cached: { at: number; value: Promise<{ checkedAt: string; systems: Reachability[] }> } | null = null;

  const probe = async (system: string, fn: () => Promise<string>): Promise<Reachability> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      return { system, ok: true, detail: await Promise.race([fn(), timeout]) };
    } catch (error) {
      // Shown on the history page: redacted like the logs, since it quotes what the system answered.
      const detail = redactText(error instanceof Error ? error.message : String(error));
      return { system, ok: false, detail };
    } finally {
      clearTimeout(timer);
    }
  };

  const run = async () => ({
    checkedAt: new Date().toISOString(),
    systems: await Promise.all([
      probe("Cal.com", async () => {
        const page = await runtime.calcom.listBookings({ take: 1 });
        return `answering (${page.pagination.totalItems} booking(s) in the account)`;
      }),
      probe("Google Sheets", async () => {
        const sheet = await runtime.ctx.sheet.read();
        return `answering ("${sheet.sheetTitle}", ${Math.max(0, sheet.grid.length - 1)} row(s) below the header)`;
      }),
      probe("Sanity", async () => {
        const count = await runtime.sanity.fetch<number>("count(*[_type == $type])", { type: DBR_LEAD_TYPE });
        return `answering (${count} lead document(s))`;
      }),
      probe("Database", async () => {
        await runtime.db.query("select 1");
        return `answering (${runtime.db.kind === "sqlite" ? "embedded SQLite" : "PostgreSQL"})`;
      }),
    ]),
  });

  return {
    check() {
      const now = Date.now();
      if (!cached || now - cached.at > cacheMs) cached = { at: now, value: run() };
      return cached.value;
    },
  };
}
