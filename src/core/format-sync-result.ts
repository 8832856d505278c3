import type { SyncRunResult } from "./run-report.ts";

/** The readable summary `calsync sync` prints without --json. */
export function formatSyncResult(result: SyncRunResult): string {
  const lines = [result.message];
  lines.push(
    `  bookings found ${result.bookingsFound}, matched ${result.matchesFound}, rows written ${result.updatesApplied}` +
      ` (${result.cancellations} cancelled, ${result.reschedules} rescheduled, ${result.added} added)`,
  );
  for (const update of result.updates) {
    const verb = result.dryRun ? `would be ${update.action}` : update.action;
    lines.push(
      `  row ${update.row}  ${update.name || "(no name)"}  ${update.bookingTime || "(cleared)"}  ${verb}`,
    );
  }
  for (const booking of result.unmatched) {
    lines.push(
      `  unmatched: ${booking.name} ${booking.phone ?? ""} ${booking.email ?? ""} (booking ${booking.uid})`,
    );
  }
  for (const booking of result.ambiguous) {
    lines.push(
      `  ambiguous: ${booking.name} matches rows ${booking.candidateRows.join(", ")} (booking ${booking.uid})`,
    );
  }
  for (const booking of result.pending) {
    lines.push(`  awaiting confirmation: ${booking.name} (booking ${booking.uid})`);
  }
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  const calls = result.apiCalls;
  lines.push(
    `  API calls: Cal.com ${calls.calcom}, Sheets ${calls.sheets}, Sanity ${calls.sanity} · ${result.durationMs} ms`,
  );
  return lines.join("\n");
}
