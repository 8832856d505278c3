import { describe, expect, it } from "vitest";
import { buildSpreadsheet } from "./person-edits.ts";
import { createQuota, DEFAULT_QUOTA } from "./quota.ts";
import { createSheetsApp, matchRoute } from "./routes.ts";
import { createTraffic } from "./traffic.ts";

const route = (method: string, path: string) => {
  const found = matchRoute(method, path);
  return found && { kind: found.kind, spreadsheetId: found.spreadsheetId, range: found.range };
};

describe("sandbox routes", () => {
  it("reads the range and the custom method out of the path as the client encodes it", () => {
    expect(route("GET", "/v4/spreadsheets/abc/values/'Lead%20List'!A2%3AX")).toEqual({
      kind: "read",
      spreadsheetId: "abc",
      range: "'Lead List'!A2:X",
    });
    expect(route("POST", "/v4/spreadsheets/abc/values/Sheet1%21A%3AX:append")).toEqual({
      kind: "write",
      spreadsheetId: "abc",
      range: "Sheet1!A:X",
    });
    expect(route("GET", "/v4/spreadsheets/abc/values/Leads%202024%2F25!A1")?.range).toBe("Leads 2024/25!A1");
  });

  it("keeps a raw colon in a range that is not a method", () => {
    expect(route("GET", "/v4/spreadsheets/abc/values/Sheet1!A:B")?.range).toBe("Sheet1!A:B");
    expect(route("POST", "/v4/spreadsheets/abc/values/Sheet1!A:clear")?.range).toBe("Sheet1!A");
  });

  it("tells reads from writes, POST reads included", () => {
    const kinds = [
      ["GET", "/v4/spreadsheets/abc"],
      ["POST", "/v4/spreadsheets/abc:batchUpdate"],
      ["GET", "/v4/spreadsheets/abc/values:batchGet"],
      ["POST", "/v4/spreadsheets/abc/values:batchGetByDataFilter"],
      ["POST", "/v4/spreadsheets/abc/values:batchUpdateByDataFilter"],
      ["PUT", "/v4/spreadsheets/abc/values/A1"],
      ["POST", "/v4/spreadsheets/abc/developerMetadata:search"],
      ["GET", "/v4/spreadsheets/abc/developerMetadata/42"],
    ].map(([method = "", path = ""]) => route(method, path)?.kind);
    expect(kinds).toEqual(["read", "write", "read", "read", "write", "write", "read", "read"]);
  });

  it("matches nothing outside the API's shapes", () => {
    for (const [method, path] of [
      ["DELETE", "/v4/spreadsheets/abc"],
      ["GET", "/v3/spreadsheets/abc"],
      ["GET", "/v4/spreadsheets/abc/values/A1/extra"],
      ["POST", "/v4/spreadsheets/abc/charts"],
    ] as const) {
      expect(matchRoute(method, path), `${method} ${path}`).toBeNull();
    }
  });

  it("answers a malformed JSON body with 400 and an unknown path with 404, in Google's shape", async () => {
    const spreadsheet = buildSpreadsheet({ spreadsheetId: "abc", sheets: [{ title: "S", rows: [] }] });
    const app = createSheetsApp({
      spreadsheets: new Map([["abc", spreadsheet]]),
      traffic: createTraffic(),
      quota: createQuota(DEFAULT_QUOTA, Date.now),
      acceptedTokens: new Set(["t"]),
      latencyMs: 0,
      now: Date.now,
      baseUrl: () => "http://localhost",
    });
    const headers = { authorization: "Bearer t" };
    const malformed = await app.request("/v4/spreadsheets/abc/values:batchUpdate", {
      method: "POST",
      headers,
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 400, status: "INVALID_ARGUMENT" } });
    const unknown = await app.request("/v4/spreadsheets/abc/charts", { headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 404, message: "Requested entity was not found.", status: "NOT_FOUND" },
    });
  });
});
