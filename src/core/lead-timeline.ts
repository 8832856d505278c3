import type { BookingNews } from "./booking-news.ts";
import type { CalcomActionChange, CellChange, Recorded } from "./change-log.ts";

/**
 * A lead's history as its page shows it, newest first: the bookings as Cal.com reported them, each change
 * calsync made to the row and why, sheet edits it put back or acted on, and the Cal.com actions it took.
 */
export type TimelineItem = {
  at: string;
  kind: "booking" | "cell" | "put-back" | "calcom";
  title: string;
  detail: string;
  runId: number | null;
  /** A poll found this, and no webhook delivery had reported it. */
  missedWebhook?: boolean;
};

export type ReportedNews = BookingNews & { foundAt: string; runId: number | null; missed: boolean };

const NEWS_TITLE: Record<BookingNews["kind"], string> = {
  created: "booked",
  requested: "requested (awaiting the host's confirmation)",
  rescheduled: "rescheduled",
  cancelled: "cancelled",
  rejected: "declined by the host",
};

const ACTION_TITLE: Record<CalcomActionChange["action"], string> = {
  cancel: "calsync cancelled the call in Cal.com",
  reschedule: "calsync moved the call in Cal.com",
  book: "calsync booked a call in Cal.com",
};

export function leadTimeline(input: {
  changes: readonly Recorded<CellChange | CalcomActionChange>[];
  news: readonly ReportedNews[];
  /** How a booking time reads (the team's time zone). */
  formatTime: (iso: string | null) => string;
}): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const news of input.news) {
    const via =
      news.source === "webhook" ? `webhook delivery #${news.deliveryId ?? "?"}` : "a poll of Cal.com";
    items.push({
      at: news.foundAt,
      kind: "booking",
      title: `Cal.com: call ${NEWS_TITLE[news.kind]}${news.start ? ` for ${input.formatTime(news.start)}` : ""}`,
      detail: `booking ${news.bookingUid}${news.rescheduledFromUid ? ` (replaces ${news.rescheduledFromUid})` : ""}, reported by ${via}`,
      runId: news.runId,
      ...(news.missed ? { missedWebhook: true } : {}),
    });
  }
  for (const change of input.changes) {
    if (change.kind === "calcom") {
      items.push({
        at: change.at,
        kind: "calcom",
        title: `${ACTION_TITLE[change.action]}${change.to ? ` (${change.to})` : ""}`,
        detail: `${change.reason} · booking ${change.newBookingUid ?? change.bookingUid}`,
        runId: change.runId,
      });
      continue;
    }
    const putBack = change.source === "put-back" && change.field !== "note";
    items.push({
      at: change.at,
      kind: putBack ? "put-back" : "cell",
      title: `${putBack ? "Sheet edit put back: " : ""}row ${change.row}, ${change.column}: ${quote(change.before)} → ${quote(change.after)}`,
      detail: change.reason,
      runId: change.runId,
    });
  }
  // Newest first; at the same instant, what Cal.com said comes after (below) what calsync did about it.
  const rank = { booking: 0, calcom: 1, "put-back": 2, cell: 2 } as const;
  return items.sort((a, b) => b.at.localeCompare(a.at) || rank[b.kind] - rank[a.kind]);
}

function quote(value: string | null): string {
  if (value === null) return "(unknown)";
  return value === "" ? "(empty)" : `"${value}"`;
}
