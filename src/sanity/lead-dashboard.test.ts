import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import { type SanitySandbox, startSanitySandbox } from "../sandboxes/sanity/sandbox.ts";
import { createSanityClient } from "./client.ts";
import { createLeadDashboard } from "./lead-dashboard.ts";

const lead = (i: number, note = ""): LeadDocumentUpdate => ({
  id: `lead-${i}`,
  leadKey: `key-${i}`,
  fields: {
    firstName: `First${i}${note}`,
    lastName: "Last",
    phone: null,
    email: `lead${i}@example.com`,
    contactStatus: "CALL_BOOKED",
    callBooked: null,
    callBookedAt: null,
    waitingToRebook: false,
    sheetRow: i + 2,
    bookings: [],
  },
});

describe("the lead dashboard's transactions", () => {
  let sandbox: SanitySandbox;
  beforeEach(async () => {
    sandbox = await startSanitySandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it("sends 2,500 leads in three transactions and every document arrives", async () => {
    const dashboard = createLeadDashboard(createSanityClient(sandbox.connection));
    await dashboard.publish(Array.from({ length: 2_500 }, (_, i) => lead(i)));
    expect(sandbox.stats().mutateRequests).toBe(3);
    // Two mutations a lead: createIfNotExists, then the patch of its fields.
    expect(sandbox.stats().mutations).toBe(5_000);
  });

  it("cuts a transaction sooner when its documents are large, so a request stays far below Sanity's 4 MB", async () => {
    const dashboard = createLeadDashboard(createSanityClient(sandbox.connection));
    // About 10 kB a lead: 100 leads are a megabyte.
    await dashboard.publish(Array.from({ length: 300 }, (_, i) => lead(i, "x".repeat(10_000))));
    expect(sandbox.stats().mutateRequests).toBeGreaterThanOrEqual(3);
    expect(sandbox.stats().mutations).toBe(600);
  });
});
