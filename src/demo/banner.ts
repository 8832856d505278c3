import type { SyncRunResult } from "../core/run-report.ts";
import { DEMO_ROWS } from "./seed-leads.ts";

export type SystemLine = { name: string; where: "sandbox" | "real"; url: string; detail: string };

/** What the demo prints once it is up: what runs where, how to act on it, and what the first sync did. */
export function demoBanner(args: {
  url: string;
  controlUrl: string | null;
  /** When the controls are off: the real credentials that are set. */
  controlsOffBecause: readonly string[] | null;
  systems: readonly SystemLine[];
  database: string;
  schedule: string;
  timeZone: string;
  /** Null when the person set SYNC_SECRET themselves: it is theirs, and not printed. */
  syncSecret: string | null;
  firstSync: SyncRunResult;
  /** What the first copy of the sheet to the dashboard's dataset said. */
  sheetCopy: string;
  notes: readonly string[];
}): string {
  const row = (label: string, value: string) => `  ${label.padEnd(16)}${value}`;
  const secret = args.syncSecret ?? "$SYNC_SECRET";
  return [
    "",
    "calsync demo is running",
    "",
    row("Dashboard", args.url),
    row(
      "Demo controls",
      args.controlUrl
        ? `${args.controlUrl}   book, move and cancel calls; edit the sheet`
        : `off: ${(args.controlsOffBecause ?? []).join(", ")} set; they run only when every system is a sandbox`,
    ),
    row("Health", `${args.url}/api/health`),
    "",
    ...args.systems.map((system) =>
      row(
        system.name,
        `${system.where === "sandbox" ? "sandbox" : "REAL   "}  ${system.url}  ${system.detail}`,
      ),
    ),
    row("Database", args.database),
    "",
    row("Scheduled sync", `${args.schedule} (${args.timeZone})`),
    row("Sync secret", args.syncSecret ?? "yours (SYNC_SECRET is set)"),
    row(
      "Sync by hand",
      `curl -X POST -H "Authorization: Bearer ${secret}" ${args.url}/api/sync-calcom-bookings`,
    ),
    ...(args.notes.length > 0 ? ["", ...args.notes.map((note) => `  ! ${note}`)] : []),
    "",
    ...firstSyncLines(args.firstSync),
    `Sheet copied to the dashboard: ${args.sheetCopy}`,
    "",
    "Press Ctrl-C to stop.",
    "",
  ].join("\n");
}

/** The first sync in a few lines: what it did to the scenario rows, and how many ordinary rows it booked. */
function firstSyncLines(result: SyncRunResult): string[] {
  const counts = `(${result.cancellations} cancelled, ${result.reschedules} rescheduled, ${result.added} added)`;
  const shown = result.updates.filter((u) => u.action !== "booked" || u.row === DEMO_ROWS.mark);
  const more = result.updates.length - shown.length;
  return [
    `First sync: ${result.message} ${result.success ? counts : ""}`.trimEnd(),
    ...shown.map((u) => `  row ${u.row}  ${u.name}  ${u.bookingTime || "(cleared)"}  ${u.action}`),
    ...(more > 0 ? [`  … and ${more} more rows booked (the demo controls list them)`] : []),
    ...result.warnings.map((warning) => `  warning: ${warning}`),
  ];
}
