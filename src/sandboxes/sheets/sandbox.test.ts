import { request } from "node:http";
import type { sheets_v4 } from "@googleapis/sheets";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSheetsApi } from "../../sheets/google-api.ts";
import { METADATA_CHARACTER_LIMIT } from "./developer-metadata.ts";
import { type SheetsSandbox, startSheetsSandbox } from "./sandbox.ts";

/** What only the sandbox can show: quotas on an injected clock, injected faults, person edits, stats. */

type GoogleError = {
  status: number;
  data: { error: { code: number; message: string; status: string; details?: unknown } };
};

async function failure(call: Promise<unknown>): Promise<GoogleError> {
  try {
    await call;
  } catch (error) {
    const response = (error as { response?: GoogleError }).response;
    if (response) return { status: response.status, data: response.data };
    throw error;
  }
  throw new Error("expected the call to fail");
}

const LEADS = [
  ["Contact_Status", "First_Name", "Phone", "Email"],
  ["HOT", "Ann", "07700123456", "ann@example.com"],
  ["COLD", "Bob", "07700999999", "bob@example.com"],
];

describe("Sheets sandbox", () => {
  let clock = 1_700_000_000_000;
  let sandbox: SheetsSandbox;
  let api: sheets_v4.Sheets;
  let spreadsheetId: string;
  beforeEach(async () => {
    clock = 1_700_000_000_000;
    sandbox = await startSheetsSandbox({ now: () => clock });
    api = createSheetsApi({ apiUrl: sandbox.url, isCustomApiUrl: true });
    spreadsheetId = sandbox.createSpreadsheet({ sheets: [{ title: "Lead List", rows: LEADS }] });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  const writeCell = (range: string, value: string) =>
    api.spreadsheets.values.update({
      spreadsheetId,
      range,
      valueInputOption: "RAW",
      requestBody: { values: [[value]] },
    });

  describe("quota", () => {
    it("refuses the 61st write within a minute with Google's 429, and accepts writes again a minute later", async () => {
      for (let i = 0; i < 60; i++) await writeCell("'Lead List'!E2", `write ${i}`);
      const refused = await failure(writeCell("'Lead List'!E2", "one too many"));
      expect(refused.status).toBe(429);
      expect(refused.data.error).toMatchObject({
        code: 429,
        status: "RESOURCE_EXHAUSTED",
        message: expect.stringContaining("Quota exceeded for quota metric 'Write requests'"),
      });
      expect(JSON.stringify(refused.data.error.details)).toContain("WriteRequestsPerMinutePerUser");
      expect(sandbox.cell(spreadsheetId, "'Lead List'!E2")).toBe("write 59");
      // Reads have their own quota.
      await expect(
        api.spreadsheets.values.get({ spreadsheetId, range: "'Lead List'!E2" }),
      ).resolves.toBeTruthy();
      clock += 60_001;
      await writeCell("'Lead List'!E2", "next minute");
      expect(sandbox.cell(spreadsheetId, "'Lead List'!E2")).toBe("next minute");
    });

    it("counts each user separately", async () => {
      const busy = await startSheetsSandbox({
        now: () => clock,
        quota: { readsPerMinute: 1 },
        accessTokens: ["a", "b"],
      });
      try {
        const id = busy.createSpreadsheet({ sheets: [{ title: "S", rows: [["x"]] }] });
        const as = (accessToken: string) =>
          createSheetsApi({ apiUrl: busy.url, isCustomApiUrl: true, accessToken });
        await as("a").spreadsheets.values.get({ spreadsheetId: id, range: "S" });
        await as("b").spreadsheets.values.get({ spreadsheetId: id, range: "S" });
        expect(
          (await failure(as("a").spreadsheets.values.get({ spreadsheetId: id, range: "S" }))).status,
        ).toBe(429);
      } finally {
        await busy.close();
      }
    });
  });

  describe("faults and credentials", () => {
    it("fails the next write with the injected status and Google's body, leaving reads alone", async () => {
      sandbox.failNext({ status: 500, kind: "write" });
      await expect(
        api.spreadsheets.values.get({ spreadsheetId, range: "'Lead List'" }),
      ).resolves.toBeTruthy();
      const failed = await failure(writeCell("'Lead List'!A2", "CALL_BOOKED"));
      expect(failed).toEqual({
        status: 500,
        data: { error: { code: 500, message: "Internal error encountered.", status: "INTERNAL" } },
      });
      expect(sandbox.cell(spreadsheetId, "'Lead List'!A2")).toBe("HOT");
      await writeCell("'Lead List'!A2", "CALL_BOOKED");
      expect(sandbox.cell(spreadsheetId, "'Lead List'!A2")).toBe("CALL_BOOKED");
    });

    it("answers 401 UNAUTHENTICATED to an unknown token", async () => {
      const stranger = createSheetsApi({ apiUrl: sandbox.url, isCustomApiUrl: true, accessToken: "guess" });
      const refused = await failure(stranger.spreadsheets.get({ spreadsheetId }));
      expect(refused.status).toBe(401);
      expect(refused.data.error.status).toBe("UNAUTHENTICATED");
    });

    it("answers 401 to a request without credentials", async () => {
      const response = await fetch(`${sandbox.url}/v4/spreadsheets/${spreadsheetId}`);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { status: "UNAUTHENTICATED" } });
    });

    it("lets a read-only service account read but not write (403 PERMISSION_DENIED)", async () => {
      const segment = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");
      const scope = "https://www.googleapis.com/auth/spreadsheets.readonly";
      const jwt = [
        segment({ alg: "RS256" }),
        segment({ iss: "reader@example.com", scope }),
        "signature",
      ].join(".");
      const headers = { authorization: `Bearer ${jwt}`, "content-type": "application/json" };
      const base = `${sandbox.url}/v4/spreadsheets/${spreadsheetId}/values/A1`;
      expect((await fetch(base, { headers })).status).toBe(200);
      const write = await fetch(`${base}?valueInputOption=RAW`, {
        method: "PUT",
        headers,
        body: '{"values":[["x"]]}',
      });
      expect(write.status).toBe(403);
      expect(await write.json()).toMatchObject({ error: { status: "PERMISSION_DENIED" } });
    });
  });

  describe("people editing between two API calls", () => {
    it("runs hooks before each request, so a sort can land between a read and the write aimed at it", async () => {
      const read = await api.spreadsheets.values.get({ spreadsheetId, range: "'Lead List'!A2:D" });
      expect(read.data.values?.[0]).toEqual(["HOT", "Ann", "07700123456", "ann@example.com"]);
      const seen: string[] = [];
      sandbox.onRequest(({ method, kind }) => {
        seen.push(`${method} ${kind}`);
        if (kind === "write") sandbox.sortRows(spreadsheetId, "Lead List", { column: 1, descending: true });
      });
      const write = await api.spreadsheets.values.update({
        spreadsheetId,
        range: "'Lead List'!A2:D2",
        valueInputOption: "RAW",
        includeValuesInResponse: true,
        requestBody: { values: [["CALL_BOOKED", null, null, null]] },
      });
      expect(seen).toEqual(["PUT write"]);
      // The row now holds Bob: the answer shows the write missed Ann.
      expect(write.data.updatedData?.values).toEqual([
        ["CALL_BOOKED", "Bob", "07700999999", "bob@example.com"],
      ]);
    });

    it("stops running a hook once it is removed", async () => {
      let calls = 0;
      const remove = sandbox.onRequest(() => {
        calls++;
      });
      await api.spreadsheets.get({ spreadsheetId });
      remove();
      await api.spreadsheets.get({ spreadsheetId });
      expect(calls).toBe(1);
    });

    it("inserts, deletes and types as a person would, seen through the API", async () => {
      sandbox.insertRows(spreadsheetId, "Lead List", 2, [["NEW", "Cy", "07700111111", "cy@example.com"]]);
      sandbox.deleteRows(spreadsheetId, "Lead List", 4, 1);
      sandbox.typeCell(spreadsheetId, "Lead List", "C2", "07700 222222");
      sandbox.typeCell(spreadsheetId, "Lead List", "A3", "");
      expect(sandbox.values(spreadsheetId, "Lead List")).toEqual([
        LEADS[0],
        ["NEW", "Cy", 7700222222, "cy@example.com"],
        ["", "Ann", "07700123456", "ann@example.com"],
      ]);
      const read = await api.spreadsheets.values.get({ spreadsheetId, range: "'Lead List'!A2:D3" });
      expect(read.data.values).toEqual([
        ["NEW", "Cy", "7700222222", "cy@example.com"],
        ["", "Ann", "07700123456", "ann@example.com"],
      ]);
    });
  });

  describe("grid limits", () => {
    it("grows the grid when an append runs past its last row", async () => {
      const small = sandbox.createSpreadsheet({
        sheets: [{ title: "S", rows: [["a"], ["b"]], rowCount: 2, columnCount: 2 }],
      });
      const appended = await api.spreadsheets.values.append({
        spreadsheetId: small,
        range: "S!A:B",
        valueInputOption: "RAW",
        requestBody: { values: [["c", "d", "e"]] },
      });
      expect(appended.data.updates?.updatedRange).toBe("S!A3:C3");
      const sheet = (await api.spreadsheets.get({ spreadsheetId: small })).data.sheets?.[0];
      expect(sheet?.properties?.gridProperties).toEqual({ rowCount: 3, columnCount: 3 });
    });

    it("accepts a range reaching past the grid when the values written fit inside it", async () => {
      const written = await api.spreadsheets.values.update({
        spreadsheetId,
        range: "'Lead List'!A1:ZZ1",
        valueInputOption: "RAW",
        requestBody: { values: [["Status"]] },
      });
      expect(written.data.updatedRange).toBe("'Lead List'!A1");
      const refused = await failure(
        api.spreadsheets.values.update({
          spreadsheetId,
          range: "'Lead List'!Z1:ZZ1",
          valueInputOption: "RAW",
          requestBody: { values: [["z", "past the grid"]] },
        }),
      );
      expect(refused.data.error.message).toBe(
        "Range ('Lead List'!AA1) exceeds grid limits. Max rows: 1000, max columns: 26",
      );
    });

    it("refuses values that spill out of the range asked for", async () => {
      const refused = await failure(
        api.spreadsheets.values.update({
          spreadsheetId,
          range: "'Lead List'!A2:B2",
          valueInputOption: "RAW",
          requestBody: { values: [["a", "b", "c"]] },
        }),
      );
      expect(refused.data.error.message).toBe(
        "Requested writing within range ['Lead List'!A2:B2], but tried writing to column [C]",
      );
    });
  });

  describe("spreadsheets.batchUpdate", () => {
    it("applies nothing when one request of the batch is invalid", async () => {
      const refused = await failure(
        api.spreadsheets.batchUpdate({
          spreadsheetId,
          requestBody: {
            requests: [
              { insertDimension: { range: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 3 } } },
              { deleteSheet: { sheetId: 999 } },
            ],
          },
        }),
      );
      expect(refused.data.error.message).toBe("Invalid requests[1].deleteSheet: No grid with id: 999");
      expect(sandbox.values(spreadsheetId, "Lead List")).toEqual(LEADS);
    });

    it(`caps a sheet's developer metadata at ${METADATA_CHARACTER_LIMIT} characters`, async () => {
      const create = (metadataValue: string) =>
        api.spreadsheets.batchUpdate({
          spreadsheetId,
          requestBody: {
            requests: [
              {
                createDeveloperMetadata: {
                  developerMetadata: {
                    metadataKey: "lead",
                    metadataValue,
                    visibility: "DOCUMENT",
                    location: {
                      dimensionRange: { sheetId: 0, dimension: "ROWS", startIndex: 1, endIndex: 2 },
                    },
                  },
                },
              },
            ],
          },
        });
      await create("x".repeat(METADATA_CHARACTER_LIMIT - 8));
      const refused = await failure(create("x"));
      expect(refused.status).toBe(400);
      expect(refused.data.error.message).toMatch(/^Invalid requests\[0\]\.createDeveloperMetadata: .*30000/);
      expect(sandbox.developerMetadata(spreadsheetId)).toHaveLength(1);
    });

    it("refuses a request kind it does not know, as Google refuses unknown fields", async () => {
      const refused = await failure(
        api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ repeatCell: {} }] } }),
      );
      expect(refused.data.error.message).toBe(
        `Invalid JSON payload received. Unknown name "repeatCell" at 'requests[0]': Cannot find field.`,
      );
    });
  });

  it("keeps a write that lands while another write's body is still arriving", async () => {
    const slowHeard = new Promise<void>((resolve) => {
      const remove = sandbox.onRequest(({ path }) => {
        if (!path.endsWith("!E2")) return;
        remove();
        resolve();
      });
    });
    const slow = request(
      `${sandbox.url}/v4/spreadsheets/${spreadsheetId}/values/${encodeURIComponent("'Lead List'!E2")}?valueInputOption=RAW`,
      {
        method: "PUT",
        headers: { authorization: "Bearer sandbox-token", "content-type": "application/json" },
      },
    );
    const slowStatus = new Promise<number | undefined>((resolve) => {
      slow.on("response", (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode));
      });
    });
    slow.flushHeaders();
    await slowHeard;
    await new Promise((resolve) => setImmediate(resolve));
    await writeCell("'Lead List'!F2", "fast");
    slow.end(JSON.stringify({ values: [["slow"]] }));
    expect(await slowStatus).toBe(200);
    expect([
      sandbox.cell(spreadsheetId, "'Lead List'!E2"),
      sandbox.cell(spreadsheetId, "'Lead List'!F2"),
    ]).toEqual(["slow", "fast"]);
  });

  it("keeps stats of reads, writes and outcomes until reset", async () => {
    await api.spreadsheets.get({ spreadsheetId });
    await writeCell("'Lead List'!E2", "x");
    await failure(api.spreadsheets.values.get({ spreadsheetId, range: "Nope!A1" }));
    const stats = sandbox.stats();
    expect(stats.reads).toBe(2);
    expect(stats.writes).toBe(1);
    expect(stats.requests.map(({ method, kind, status }) => ({ method, kind, status }))).toEqual([
      { method: "GET", kind: "read", status: 200 },
      { method: "PUT", kind: "write", status: 200 },
      { method: "GET", kind: "read", status: 400 },
    ]);
    expect(stats.requests[1]?.path).toBe(`/v4/spreadsheets/${spreadsheetId}/values/'Lead List'!E2`);
    sandbox.resetStats();
    expect(sandbox.stats()).toEqual({ reads: 0, writes: 0, requests: [] });
  });
});
