/**
 * The sandbox's HTTP surface: Google's URL shapes for Sheets API v4, and the order in which a request is
 * met (hooks, latency, injected faults, authentication, quota, then the call itself).
 * https://developers.google.com/workspace/sheets/api/reference/rest
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { invalidArgument, notFound, SheetsApiError } from "./api-errors.ts";
import { authenticate } from "./auth.ts";
import { applyBatchUpdate } from "./batch-update.ts";
import {
  batchClearByDataFilter,
  batchGetByDataFilter,
  batchUpdateByDataFilter,
  getMetadata,
  searchMetadata,
} from "./filter-endpoints.ts";
import { spreadsheetWithGridData } from "./grid-data.ts";
import type { Quota, RequestKind } from "./quota.ts";
import { BatchUpdateSpreadsheetSchema, parseBody } from "./request-schemas.ts";
import { spreadsheetJson } from "./spreadsheet-json.ts";
import { cloneSpreadsheet, type Spreadsheet } from "./spreadsheet-model.ts";
import type { Traffic } from "./traffic.ts";
import {
  type EndpointCall,
  valuesAppend,
  valuesBatchClear,
  valuesBatchGet,
  valuesBatchUpdate,
  valuesClear,
  valuesGet,
  valuesUpdate,
} from "./values-endpoints.ts";

export type SandboxState = {
  spreadsheets: Map<string, Spreadsheet>;
  traffic: Traffic;
  quota: Quota;
  acceptedTokens: ReadonlySet<string>;
  latencyMs: number;
  now: () => number;
  baseUrl: () => string;
};

type Endpoint = (call: EndpointCall & { state: SandboxState }) => unknown;

type Route = { kind: RequestKind; endpoint: Endpoint; spreadsheetId: string; range: string };

/**
 * With `includeSpreadsheetInResponse`, the answer carries the spreadsheet as the batch left it (limited to
 * `responseRanges`, with their cells when `responseIncludeGridData`): one atomic look at what the requests did.
 */
const spreadsheetBatchUpdate: Endpoint = ({ spreadsheet, body, state }) => {
  const request = parseBody(BatchUpdateSpreadsheetSchema, body);
  const replies = applyBatchUpdate(spreadsheet, request.requests ?? []);
  const updatedSpreadsheet = request.includeSpreadsheetInResponse
    ? spreadsheetWithGridData(spreadsheet, state.baseUrl(), {
        ranges: request.responseRanges ?? [],
        includeGridData: request.responseIncludeGridData ?? false,
      })
    : undefined;
  return {
    spreadsheetId: spreadsheet.spreadsheetId,
    replies,
    ...(updatedSpreadsheet ? { updatedSpreadsheet } : {}),
  };
};

const getSpreadsheet: Endpoint = ({ spreadsheet, state }) => spreadsheetJson(spreadsheet, state.baseUrl());

/** `METHOD name` → endpoint, for the calls on the spreadsheet itself and on `/values`. */
const SPREADSHEET_CALLS: Record<string, [RequestKind, Endpoint]> = {
  "GET ": ["read", getSpreadsheet],
  "POST batchUpdate": ["write", spreadsheetBatchUpdate],
  "POST getByDataFilter": ["read", getSpreadsheet],
};
const VALUES_CALLS: Record<string, [RequestKind, Endpoint]> = {
  "GET batchGet": ["read", valuesBatchGet],
  "POST batchUpdate": ["write", valuesBatchUpdate],
  "POST batchClear": ["write", valuesBatchClear],
  "POST batchGetByDataFilter": ["read", batchGetByDataFilter],
  "POST batchUpdateByDataFilter": ["write", batchUpdateByDataFilter],
  "POST batchClearByDataFilter": ["write", batchClearByDataFilter],
};
const RANGE_CALLS: Record<string, [RequestKind, Endpoint]> = {
  "GET ": ["read", valuesGet],
  "PUT ": ["write", valuesUpdate],
  "POST append": ["write", valuesAppend],
  "POST clear": ["write", valuesClear],
};
const METADATA_CALLS: Record<string, [RequestKind, Endpoint]> = {
  "GET ": ["read", getMetadata],
  "POST search": ["read", searchMetadata],
};

/**
 * Splits `Sheet1%21A1%3AB2:append` into the range and the custom method. The client percent-encodes the
 * range, so the method's colon is the only raw one; a raw `A:B` is told apart by the method names known.
 */
function splitMethod(segment: string, known: Record<string, unknown>, method: string): [string, string] {
  const colon = segment.lastIndexOf(":");
  const name = colon === -1 ? "" : segment.slice(colon + 1);
  if (name && `${method} ${name}` in known) return [segment.slice(0, colon), name];
  return [segment, ""];
}

export function matchRoute(method: string, pathname: string): Route | null {
  const prefix = "/v4/spreadsheets/";
  if (!pathname.startsWith(prefix)) return null;
  const [first = "", collection, item, ...rest] = pathname.slice(prefix.length).split("/");
  if (rest.length > 0) return null;
  const decode = safeDecode;
  const make = (call: [RequestKind, Endpoint] | undefined, id: string, range = ""): Route | null =>
    call ? { kind: call[0], endpoint: call[1], spreadsheetId: decode(id), range: decode(range) } : null;

  if (collection === undefined) {
    const [id, name] = splitMethod(first, SPREADSHEET_CALLS, method);
    return make(SPREADSHEET_CALLS[`${method} ${name}`], id);
  }
  const [table, tableMethod] = splitMethod(collection, { ...VALUES_CALLS, ...METADATA_CALLS }, method);
  if (item === undefined) {
    if (table === "values") return make(VALUES_CALLS[`${method} ${tableMethod}`], first);
    if (table === "developerMetadata") return make(METADATA_CALLS[`${method} ${tableMethod}`], first);
    return null;
  }
  if (tableMethod) return null;
  if (table === "values") {
    const [range, name] = splitMethod(item, RANGE_CALLS, method);
    return make(RANGE_CALLS[`${method} ${name}`], first, range);
  }
  if (table === "developerMetadata") return make(METADATA_CALLS[`${method} `], first, item);
  return null;
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalidArgument("Invalid JSON payload received. Unexpected token.");
  }
}

/** Malformed percent-encoding is left as it is, to fail later as an unknown range or spreadsheet. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function createSheetsApp(state: SandboxState): Hono {
  const app = new Hono();
  app.all("*", async (c) => {
    const url = new URL(c.req.url);
    const method = c.req.method;
    const route = matchRoute(method, url.pathname);
    const kind = route?.kind ?? (method === "GET" ? "read" : "write");
    const info = { method, path: safeDecode(url.pathname), kind };
    let status = 200;
    try {
      await state.traffic.runHooks(info);
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      const fault = state.traffic.takeFault(kind);
      if (fault) throw fault;
      const user = authenticate({
        authorization: c.req.header("authorization"),
        acceptedTokens: state.acceptedTokens,
        kind,
        nowMs: state.now(),
      });
      state.quota.take(user, kind);
      if (!route) throw notFound();
      const body = method === "GET" ? {} : await readJson(c.req.raw);
      // From here on nothing awaits, so concurrent writes cannot interleave and lose each other's changes.
      const stored = state.spreadsheets.get(route.spreadsheetId);
      if (!stored) throw notFound();
      // Writes run on a copy that replaces the stored spreadsheet only if the whole call succeeds.
      const spreadsheet = kind === "write" ? cloneSpreadsheet(stored) : stored;
      const result = route.endpoint({
        spreadsheet,
        range: route.range,
        query: url.searchParams,
        body,
        state,
      });
      if (kind === "write") state.spreadsheets.set(route.spreadsheetId, spreadsheet);
      return c.json(result as object);
    } catch (error) {
      status = error instanceof SheetsApiError ? error.code : 500;
      if (!(error instanceof SheetsApiError)) throw error;
      return c.json(error.toBody(), error.code as ContentfulStatusCode);
    } finally {
      state.traffic.record({ ...info, status });
    }
  });
  return app;
}
