import type { Queryable } from "./database.ts";

/**
 * Every POST to the webhook route while CALCOM_WEBHOOK_SECRET is set (migration 0008): when it came, its
 * signature, what calsync did with it, and the stored delivery (webhook_events) it is or repeats, whose
 * application (applied at, last error) the list shows beside it.
 */
export type DeliverySignature = "valid" | "missing" | "invalid";
export type DeliveryOutcome = "stored" | "duplicate" | "ignored" | "ping" | "rejected" | "unreadable";

/** Deliveries with a bad signature are anyone's: at most this many an hour are kept, so a flood fills nothing. */
export const MAX_REJECTED_PER_HOUR = 100;

export async function recordDelivery(
  db: Queryable,
  delivery: {
    receivedAt: Date;
    trigger: string | null;
    bookingUid: string | null;
    signature: DeliverySignature;
    outcome: DeliveryOutcome;
    eventId: number | null;
    detail: string | null;
  },
): Promise<void> {
  if (delivery.signature !== "valid") {
    const hourAgo = new Date(delivery.receivedAt.getTime() - 3_600_000).toISOString();
    const rows = await db.query<{ n: number }>(
      "select count(*) as n from webhook_deliveries where received_at >= $1 and signature <> 'valid'",
      [hourAgo],
    );
    if (Number(rows[0]?.n ?? 0) >= MAX_REJECTED_PER_HOUR) return;
  }
  await db.query(
    `insert into webhook_deliveries (received_at, trigger, booking_uid, signature, outcome, event_id, detail)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      delivery.receivedAt.toISOString(),
      delivery.trigger,
      delivery.bookingUid,
      delivery.signature,
      delivery.outcome,
      delivery.eventId,
      delivery.detail?.slice(0, 500) ?? null,
    ],
  );
}

export type DeliveryLine = {
  id: number;
  receivedAt: string;
  trigger: string | null;
  bookingUid: string | null;
  signature: DeliverySignature;
  outcome: DeliveryOutcome;
  detail: string | null;
  /** The stored delivery this one is (or repeats); null when nothing was stored. */
  eventId: number | null;
  /** Whether that stored delivery is still in the database (it can then be replayed). */
  replayable: boolean;
  appliedAt: string | null;
  /** From receipt to applied, for a delivery that was stored (not a repeat). */
  latencyMs: number | null;
  attempts: number;
  error: string | null;
};

type DeliveryRow = {
  id: number;
  received_at: string;
  trigger: string | null;
  booking_uid: string | null;
  signature: DeliverySignature;
  outcome: DeliveryOutcome;
  detail: string | null;
  event_id: number | null;
  stored_id: number | null;
  applied_at: string | null;
  attempts: number | null;
  last_error: string | null;
};

/** What became of a delivery, in words (the deliveries page and command). */
export function deliveryOutcomeText(line: DeliveryLine): string {
  switch (line.outcome) {
    case "stored":
      return line.appliedAt
        ? "applied"
        : line.error
          ? `failing after ${line.attempts} attempt(s): ${line.error}`
          : line.replayable
            ? "waiting to be applied"
            : "stored (since pruned)";
    case "duplicate":
      return line.detail ?? "a repeat of a stored delivery";
    case "ignored":
      return `ignored: ${line.detail ?? "calsync does not act on it"}`;
    case "ping":
      return "ping answered";
    case "rejected":
      return `rejected (401): ${line.detail ?? "bad signature"}`;
    case "unreadable":
      return `refused (400): ${line.detail ?? "not a Cal.com payload"}`;
  }
}

/** The newest deliveries first. */
export async function listDeliveries(db: Queryable, limit = 100): Promise<DeliveryLine[]> {
  const rows = await db.query<DeliveryRow>(
    `select d.id, d.received_at, d.trigger, d.booking_uid, d.signature, d.outcome, d.detail, d.event_id,
            e.id as stored_id, e.applied_at, e.attempts, e.last_error
       from webhook_deliveries d left join webhook_events e on e.id = d.event_id
      order by d.id desc limit $1`,
    [limit],
  );
  return rows.map((row) => {
    const receivedAt = new Date(row.received_at).toISOString();
    const appliedAt = row.applied_at ? new Date(row.applied_at).toISOString() : null;
    return {
      id: Number(row.id),
      receivedAt,
      trigger: row.trigger,
      bookingUid: row.booking_uid,
      signature: row.signature,
      outcome: row.outcome,
      detail: row.detail,
      eventId: row.event_id === null ? null : Number(row.event_id),
      replayable: row.stored_id !== null,
      appliedAt,
      latencyMs:
        appliedAt && row.outcome === "stored"
          ? Math.max(0, Date.parse(appliedAt) - Date.parse(receivedAt))
          : null,
      attempts: Number(row.attempts ?? 0),
      error: row.last_error,
    };
  });
}

/** Deliveries Cal.com signed since `since`, and the last one ever (what the webhook health decides on). */
export async function deliveryActivity(
  db: Queryable,
  since: Date,
): Promise<{ received: number; lastReceivedAt: string | null }> {
  const rows = await db.query<{ received: number; last: string | null }>(
    `select (select count(*) from webhook_deliveries where received_at >= $1 and signature = 'valid') as received,
            (select max(received_at) from webhook_deliveries where signature = 'valid') as last`,
    [since.toISOString()],
  );
  const last = rows[0]?.last ?? null;
  return {
    received: Number(rows[0]?.received ?? 0),
    lastReceivedAt: last ? new Date(last).toISOString() : null,
  };
}
