import type { SanityClient } from "@sanity/client";
import { ARCHIVED_FIELDS, type LiveLeadDocument } from "../core/sheet-copy.ts";
import type { BackoffOptions } from "../http/backoff.ts";
import type { SheetCopyTarget } from "../sync/context.ts";
import { DBR_LEAD_TYPE } from "./lead-document.ts";
import { sanityCall } from "./sanity-call.ts";

/**
 * Where the sheet copy writes: each lead is `createIfNotExists` + `patch.set` of the sheet's fields only,
 * so the booking fields (`callBooked`, `callBookedAt`, `bookings`) the booking sync writes are never
 * touched. An archive is a `patch.set` of `archived` and `sheetRow` on a document Sanity has.
 */
export function createSheetCopyTarget(client: SanityClient, backoff?: BackoffOptions): SheetCopyTarget {
  const retried = <T>(fn: () => Promise<T>) => sanityCall(fn, backoff);
  return {
    async listDocuments() {
      const rows = await retried(() =>
        client.fetch<LiveRow[]>(`*[_type == $type]{ _id, archived, contactStatus, sheetRow }`, {
          type: DBR_LEAD_TYPE,
        }),
      );
      return rows.map(
        (row): LiveLeadDocument => ({
          id: row._id,
          archived: row.archived === true,
          contactStatus: row.contactStatus ?? null,
          sheetRow: row.sheetRow ?? null,
        }),
      );
    },

    async commit({ writes, archives }) {
      if (writes.length === 0 && archives.length === 0) return;
      await retried(() => {
        const transaction = client.transaction();
        for (const doc of writes) {
          transaction.createIfNotExists({ _id: doc.id, _type: DBR_LEAD_TYPE });
          transaction.patch(doc.id, (patch) => patch.set({ ...doc.fields }));
        }
        for (const id of archives) transaction.patch(id, (patch) => patch.set({ ...ARCHIVED_FIELDS }));
        return transaction.commit({ visibility: "async", returnDocuments: false });
      });
    },
  };
}

type LiveRow = {
  _id: string;
  archived?: boolean | null;
  contactStatus?: string | null;
  sheetRow?: number | null;
};
