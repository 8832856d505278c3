import { generateKeyPairSync } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { type SheetsSandbox, startSheetsSandbox } from "../sandboxes/sheets/sandbox.ts";
import { createSheetsApi, type SheetsHttpRequest, sheetsQuotaOf } from "./google-api.ts";

/** A throwaway service account key, made per run so no key is ever committed. */
function serviceAccountKey() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    client_email: "calsync-test@calsync-test.iam.gserviceaccount.com",
    private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/**
 * Every host this process tries to reach, whatever the HTTP stack: undici (fetch), node:http(s) (gaxios's
 * node-fetch, gtoken) and raw DNS lookups by sockets.
 */
function watchOutboundHosts() {
  const hosts: string[] = [];
  const onUndici = (message: unknown) => {
    hosts.push(new URL((message as { request: { origin: string } }).request.origin).hostname);
  };
  const onHttp = (message: unknown) => {
    hosts.push((message as { request: { host: string } }).request.host);
  };
  const onSocket = (message: unknown) => {
    (message as { socket: Socket }).socket.once("lookup", (_error, _address, _family, host) =>
      hosts.push(host),
    );
  };
  const channels = [
    ["undici:request:create", onUndici],
    ["http.client.request.start", onHttp],
    ["net.client.socket", onSocket],
  ] as const;
  for (const [name, listener] of channels) diagnostics.subscribe(name, listener);
  return {
    hosts,
    stop: () => {
      for (const [name, listener] of channels) diagnostics.unsubscribe(name, listener);
    },
  };
}

describe("createSheetsApi", () => {
  let sandbox: SheetsSandbox;
  let spreadsheetId: string;
  beforeEach(async () => {
    sandbox = await startSheetsSandbox({ accessTokens: ["sandbox-token", "token-of-ann"] });
    spreadsheetId = sandbox.createSpreadsheet({ sheets: [{ title: "Leads", rows: [["Name"], ["Ann"]] }] });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it("with a service account and a custom URL, signs its own JWT and contacts no other host", async () => {
    const closed = await startSheetsSandbox({ accessTokens: [] });
    const id = closed.createSpreadsheet({ sheets: [{ title: "Leads", rows: [["Name"], ["Ann"]] }] });
    const watch = watchOutboundHosts();
    try {
      const api = createSheetsApi({
        apiUrl: closed.url,
        isCustomApiUrl: true,
        serviceAccount: serviceAccountKey(),
      });
      const read = await api.spreadsheets.values.get({ spreadsheetId: id, range: "Leads!A2" });
      expect(read.data.values).toEqual([["Ann"]]);
    } finally {
      watch.stop();
      await closed.close();
    }
    // The sandbox accepts no bearer token here, so the read above could only pass with a JWT.
    expect(watch.hosts.length).toBeGreaterThan(0);
    expect(new Set(watch.hosts)).toEqual(new Set(["127.0.0.1"]));
  });

  it("sends the configured access token", async () => {
    const api = createSheetsApi({ apiUrl: sandbox.url, isCustomApiUrl: true, accessToken: "token-of-ann" });
    await expect(api.spreadsheets.values.get({ spreadsheetId, range: "Leads" })).resolves.toBeTruthy();
    const stranger = createSheetsApi({
      apiUrl: sandbox.url,
      isCustomApiUrl: true,
      accessToken: "token-of-eve",
    });
    await expect(stranger.spreadsheets.values.get({ spreadsheetId, range: "Leads" })).rejects.toMatchObject({
      status: 401,
    });
  });

  it("uses the sandbox's token when a custom URL has no credentials", async () => {
    const api = createSheetsApi({ apiUrl: `${sandbox.url}/`, isCustomApiUrl: true });
    const read = await api.spreadsheets.values.get({ spreadsheetId, range: "Leads!A1:A2" });
    expect(read.data.values).toEqual([["Name"], ["Ann"]]);
  });

  it("refuses to build a client for Google without credentials", () => {
    expect(() => createSheetsApi({ apiUrl: "https://sheets.googleapis.com", isCustomApiUrl: false })).toThrow(
      ConfigError,
    );
  });

  it("reports each HTTP request once, failed ones included", async () => {
    const seen: SheetsHttpRequest[] = [];
    const api = createSheetsApi({
      apiUrl: sandbox.url,
      isCustomApiUrl: true,
      onRequest: (request) => seen.push(request),
    });
    await api.spreadsheets.get({ spreadsheetId });
    await api.spreadsheets.values.update({
      spreadsheetId,
      range: "Leads!B2",
      valueInputOption: "RAW",
      requestBody: { values: [["x"]] },
    });
    await api.spreadsheets.values.get({ spreadsheetId, range: "Nowhere!A1" }).catch(() => undefined);
    expect(seen.map((request) => request.method)).toEqual(["GET", "PUT", "GET"]);
    expect(seen[1]?.url).toContain(`${sandbox.url}/v4/spreadsheets/${spreadsheetId}/values/`);
    expect(sandbox.stats().requests).toHaveLength(seen.length);
  });

  it("tells reads from writes as Google's two quotas count them", async () => {
    const seen: SheetsHttpRequest[] = [];
    const api = createSheetsApi({
      apiUrl: sandbox.url,
      isCustomApiUrl: true,
      onRequest: (request) => seen.push(request),
    });
    await api.spreadsheets.get({ spreadsheetId });
    await api.spreadsheets.values.get({ spreadsheetId, range: "Leads!A1" });
    await api.spreadsheets.values.batchGetByDataFilter({
      spreadsheetId,
      requestBody: { dataFilters: [{ a1Range: "Leads!A1" }] },
    });
    await api.spreadsheets.developerMetadata.search({
      spreadsheetId,
      requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: "nothing" } }] },
    });
    await api.spreadsheets.values.batchUpdateByDataFilter({
      spreadsheetId,
      requestBody: {
        valueInputOption: "RAW",
        data: [{ dataFilter: { a1Range: "Leads!B2" }, values: [["y"]] }],
      },
    });
    await api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [] } });
    // The sandbox charges each request to the quota Google documents for it.
    expect(seen.map(sheetsQuotaOf)).toEqual(sandbox.stats().requests.map((request) => request.kind));
    expect(seen.map(sheetsQuotaOf)).toEqual(["read", "read", "read", "read", "write", "write"]);
  });

  it("does not retry a failed request on its own", async () => {
    // Each fault fails one request only: a retry inside the client would succeed and hide it.
    let requests = 0;
    const api = createSheetsApi({ apiUrl: sandbox.url, isCustomApiUrl: true, onRequest: () => requests++ });
    sandbox.failNext({ status: 503 });
    await expect(api.spreadsheets.values.get({ spreadsheetId, range: "Leads" })).rejects.toMatchObject({
      status: 503,
    });
    sandbox.failNext({ status: 429 });
    await expect(api.spreadsheets.values.get({ spreadsheetId, range: "Leads" })).rejects.toMatchObject({
      status: 429,
    });
    expect(requests).toBe(2);
    expect(sandbox.stats().requests.map((request) => request.status)).toEqual([503, 429]);
  });
});
