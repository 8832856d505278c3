import { randomBytes } from "node:crypto";
import { ClientError, type SanityClient, ServerError } from "@sanity/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { type SanitySandbox, startSanitySandbox } from "../sandboxes/sanity/sandbox.ts";
import { createSanityClient, type SanityClientSettings } from "./client.ts";

/**
 * What calsync relies on from Sanity's HTTP API, driven through the real @sanity/client. The shared part
 * runs against the sandbox always, and against a real project when CALSYNC_CONTRACT_REAL=1 and
 * SANITY_PROJECT_ID, SANITY_DATASET and SANITY_TOKEN are set; it then writes documents of a type unique to
 * the run and deletes them afterwards. Faults, rate limits and outages are tried on the sandbox only.
 */

type ContractTarget = {
  settings: SanityClientSettings;
  client: SanityClient;
  /** A `_type` no other document has, so queries see only this run's documents. */
  type: string;
  close(): Promise<void>;
};

const run = randomBytes(4).toString("hex");
let sequence = 0;
const newId = (label: string) => `contract-${run}-${label}-${++sequence}`;

async function rejectionOf(request: Promise<unknown>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to be refused, but it succeeded");
}

function defineSharedContract(name: string, connect: () => Promise<ContractTarget>): void {
  describe(`Sanity contract: ${name}`, () => {
    let target: ContractTarget;
    beforeAll(async () => {
      target = await connect();
    });
    afterAll(async () => {
      await target?.close();
    });

    const lead = (id: string, fields: Record<string, unknown> = {}) => ({
      _id: id,
      _type: target.type,
      ...fields,
    });

    it("applies a transaction of createIfNotExists and patch as one", async () => {
      const id = newId("tx");
      await target.client
        .transaction()
        .createIfNotExists(lead(id, { firstName: "Mark", bookings: [] }))
        .patch(id, (patch) => patch.set({ contactStatus: "CALL_BOOKED", callBooked: "17:00 27/10/2025" }))
        .commit();
      const stored = await target.client.getDocument(id);
      expect(stored).toMatchObject({
        firstName: "Mark",
        contactStatus: "CALL_BOOKED",
        callBooked: "17:00 27/10/2025",
      });
      expect(stored).toHaveProperty("_rev", expect.any(String));
    });

    it("applies nothing of a transaction when one of its mutations fails", async () => {
      const existing = await target.client.create(lead(newId("exists"), { firstName: "Ann" }));
      const id = newId("atomic");
      const error = await rejectionOf(
        target.client
          .transaction()
          .createIfNotExists(lead(id, { firstName: "Mark" }))
          .patch(existing._id, (patch) => patch.set({ firstName: "Changed" }))
          .create(lead(existing._id))
          .commit(),
      );
      expect(error).toBeInstanceOf(ClientError);
      expect(error).toMatchObject({
        statusCode: 409,
        details: { items: [{ error: { type: "documentAlreadyExistsError" } }] },
      });
      expect(await target.client.getDocument(id)).toBeUndefined();
      expect(await target.client.getDocument(existing._id)).toMatchObject({
        firstName: "Ann",
        _rev: existing._rev,
      });
    });

    it("createOrReplace replaces the whole document", async () => {
      const id = newId("replace");
      const first = await target.client.create(
        lead(id, { firstName: "Mark", callBooked: "17:00 27/10/2025" }),
      );
      const replaced = await target.client.createOrReplace(lead(id, { firstName: "Marcus" }));
      expect(replaced).toMatchObject({ _id: id, firstName: "Marcus" });
      expect(replaced).not.toHaveProperty("callBooked");
      expect(replaced._rev).not.toBe(first._rev);
    });

    it("refuses a patch whose ifRevisionID is stale, and applies it when current", async () => {
      const id = newId("rev");
      const created = await target.client.create(lead(id, { contactStatus: "NEW" }));
      const stale = await rejectionOf(
        target.client.patch(id).ifRevisionId("not-the-revision").set({ contactStatus: "HOT" }).commit(),
      );
      expect(stale).toMatchObject({
        statusCode: 409,
        message: expect.stringContaining(`Document "${id}" has unexpected revision ID`),
        details: {
          type: "mutationError",
          items: [
            {
              index: 0,
              error: {
                type: "documentRevisionIDDoesNotMatchError",
                currentRevisionID: created._rev,
                expectedRevisionID: "not-the-revision",
              },
            },
          ],
        },
      });
      expect(await target.client.getDocument(id)).toMatchObject({ contactStatus: "NEW" });

      const updated = await target.client
        .patch(id)
        .ifRevisionId(created._rev)
        .set({ contactStatus: "HOT" })
        .commit();
      expect(updated).toMatchObject({ contactStatus: "HOT" });
      expect(updated._rev).not.toBe(created._rev);
    });

    it("lets exactly one of two writers racing on the same revision win", async () => {
      const id = newId("race");
      const created = await target.client.create(lead(id, { contactStatus: "NEW" }));
      const outcomes = await Promise.allSettled(
        ["HOT", "CALL_BOOKED"].map((status) =>
          target.client.patch(id).ifRevisionId(created._rev).set({ contactStatus: status }).commit(),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
      const loser = outcomes.find((outcome) => outcome.status === "rejected");
      expect(loser?.reason).toMatchObject({ statusCode: 409 });
    });

    it("unset removes fields and keyed array items", async () => {
      const id = newId("unset");
      await target.client.create(
        lead(id, {
          callBooked: "17:00 27/10/2025",
          bookings: [
            { _key: "b1", uid: "u1" },
            { _key: "b2", uid: "u2" },
          ],
        }),
      );
      const updated = await target.client.patch(id).unset(["callBooked", 'bookings[_key=="b1"]']).commit();
      expect(updated).not.toHaveProperty("callBooked");
      expect(updated.bookings).toEqual([{ _key: "b2", uid: "u2" }]);
    });

    it("inserts into arrays by _key and by position, and sets inside keyed items", async () => {
      const id = newId("insert");
      const booking = (key: string, status = "accepted") => ({
        _key: key,
        _type: "booking",
        uid: `uid-${key}`,
        status,
      });
      await target.client.create(lead(id, { bookings: [booking("b1"), booking("b3")] }));
      const updated = await target.client
        .patch(id)
        .insert("after", 'bookings[_key=="b1"]', [booking("b2")])
        .commit();
      expect(updated.bookings.map((item: { _key: string }) => item._key)).toEqual(["b1", "b2", "b3"]);

      const final = await target.client
        .transaction()
        .patch(id, (patch) => patch.insert("before", "bookings[0]", [booking("b0")]))
        .patch(id, (patch) => patch.insert("after", "bookings[-1]", [booking("b4")]))
        .patch(id, (patch) => patch.insert("replace", 'bookings[_key=="b3"]', [booking("b3x")]))
        .patch(id, (patch) => patch.set({ 'bookings[_key=="b2"].status': "cancelled" }))
        .commit({ returnDocuments: true });
      const document = final.at(-1);
      expect(document?.bookings.map((item: { _key: string }) => item._key)).toEqual([
        "b0",
        "b1",
        "b2",
        "b3x",
        "b4",
      ]);
      expect(document?.bookings[2]).toEqual(booking("b2", "cancelled"));
    });

    it("deletes a document, and deleting it again still succeeds", async () => {
      const id = newId("delete");
      await target.client.create(lead(id));
      await target.client.delete(id);
      expect(await target.client.getDocument(id)).toBeUndefined();
      await expect(target.client.delete(id)).resolves.toBeDefined();
    });

    it("answers mutations with ids, operations and, when asked, the documents", async () => {
      const id = newId("answer");
      const created = await target.client.create(lead(id, { firstName: "Mark" }));
      expect(created).toMatchObject({ _id: id, _type: target.type, firstName: "Mark" });
      for (const field of ["_rev", "_createdAt", "_updatedAt"])
        expect(created).toHaveProperty(field, expect.any(String));

      const ids = await target.client.mutate([{ createOrReplace: lead(id, { firstName: "Ann" }) }], {
        returnDocuments: false,
      });
      expect(ids).toEqual({
        transactionId: expect.any(String),
        results: [{ id, operation: "update" }],
        documentIds: [id],
      });

      const documents = await target.client.mutate([{ patch: { id, set: { lastName: "Greenall" } } }], {
        returnDocuments: true,
      });
      expect(documents).toEqual([
        expect.objectContaining({
          _id: id,
          firstName: "Ann",
          lastName: "Greenall",
          _rev: expect.any(String),
        }),
      ]);
    });

    it("runs GROQ with parameters: upcoming calls in order", async () => {
      const now = "2025-10-27T12:00:00.000Z";
      const [past, later, sooner, none] = ["past", "later", "sooner", "none"].map(newId);
      await target.client
        .transaction()
        .create(lead(past!, { callBookedAt: "2025-10-26T17:00:00.000Z" }))
        .create(lead(later!, { callBookedAt: "2025-10-29T09:00:00.000Z" }))
        .create(lead(sooner!, { callBookedAt: "2025-10-27T17:00:00.000Z" }))
        .create(lead(none!, { callBookedAt: null }))
        .commit();
      const upcoming = await target.client.fetch<string[]>(
        "*[_type == $type && callBookedAt > $now] | order(callBookedAt asc)._id",
        { type: target.type, now },
      );
      expect(upcoming).toEqual([sooner, later]);
    });

    it("gets documents by id, with null for the ones that do not exist", async () => {
      const id = newId("get");
      await target.client.create(lead(id, { firstName: "Mark" }));
      const documents = await target.client.getDocuments([id, newId("missing")]);
      expect(documents).toEqual([expect.objectContaining({ _id: id, firstName: "Mark" }), null]);
    });

    it("refuses a token it does not know with 401", async () => {
      const stranger = createSanityClient({ ...target.settings, token: "not-a-real-token" });
      const error = await rejectionOf(stranger.fetch("*[_type == $type][0]", { type: target.type }));
      expect(error).toBeInstanceOf(ClientError);
      expect(error).toMatchObject({ statusCode: 401, message: expect.stringContaining("Session not found") });
    });

    it("refuses a GROQ syntax error with 400 and says where it is", async () => {
      const error = await rejectionOf(target.client.fetch('*[_type == "dbrLead"'));
      expect(error).toBeInstanceOf(ClientError);
      expect(error).toMatchObject({
        statusCode: 400,
        message: expect.stringContaining("GROQ query parse error"),
        details: { type: "queryParseError" },
      });
    });
  });
}

defineSharedContract("sandbox", async () => {
  const sandbox = await startSanitySandbox();
  const settings = { ...sandbox.connection };
  return { settings, client: createSanityClient(settings), type: "dbrLead", close: () => sandbox.close() };
});

const realSettings = process.env.CALSYNC_CONTRACT_REAL === "1" ? loadConfig(process.env).sanity : undefined;
if (realSettings?.projectId && realSettings.dataset && realSettings.token) {
  defineSharedContract("real Sanity", async () => {
    const client = createSanityClient(realSettings);
    const type = `calsyncContract${run}`;
    return {
      settings: realSettings,
      client,
      type,
      close: async () => {
        await client.delete({ query: "*[_type == $type]", params: { type } });
      },
    };
  });
} else {
  describe("Sanity contract: real Sanity", () => {
    it.skip("runs with CALSYNC_CONTRACT_REAL=1 and SANITY_PROJECT_ID, SANITY_DATASET, SANITY_TOKEN set", () => {});
  });
}

describe("Sanity sandbox: what only a sandbox can show", () => {
  let clock = new Date("2025-10-27T12:00:00.000Z");
  let sandbox: SanitySandbox;
  let client: SanityClient;
  const sent: string[] = [];

  beforeAll(async () => {
    sandbox = await startSanitySandbox({ now: () => clock, mutationsPerSecond: 3 });
    client = createSanityClient({ ...sandbox.connection, onRequest: (request) => sent.push(request.url) });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const resetCounters = () => {
    sandbox.resetStats();
    sent.length = 0;
  };
  const nextSecond = () => {
    clock = new Date(clock.getTime() + 1000);
  };

  it("refuses mutation requests past the per-second rate with 429 and Retry-After, then lets them through", async () => {
    nextSecond();
    for (const n of [1, 2, 3]) await client.create({ _id: `rate-${n}`, _type: "dbrLead" });
    const refused = await rejectionOf(client.create({ _id: "rate-4", _type: "dbrLead" }));
    expect(refused).toBeInstanceOf(ClientError);
    expect(refused).toMatchObject({
      statusCode: 429,
      message: expect.stringContaining("API rate limit exceeded"),
      response: { headers: { "retry-after": "1" } },
    });
    expect(sandbox.document("rate-4")).toBeUndefined();
    // Queries have their own, much higher, limit.
    await expect(client.fetch("count(*)")).resolves.toBeGreaterThanOrEqual(3);

    nextSecond();
    await expect(client.create({ _id: "rate-4", _type: "dbrLead" })).resolves.toMatchObject({
      _id: "rate-4",
    });
  });

  it("surfaces an injected 5xx as a ServerError, with no hidden retry, then answers normally", async () => {
    resetCounters();
    sandbox.failNext({ status: 503, kind: "query" });
    const error = await rejectionOf(client.fetch("count(*)"));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ statusCode: 503 });
    expect(sandbox.stats().requests.map((request) => request.status)).toEqual([503]);
    expect(sent).toHaveLength(1);
    await expect(client.fetch("count(*)")).resolves.toEqual(expect.any(Number));
  });

  it("aims faults at one kind of request and leaves the others alone", async () => {
    nextSecond();
    sandbox.failNext({ status: 500, kind: "mutate", count: 2 });
    await expect(client.fetch("count(*)")).resolves.toEqual(expect.any(Number));
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(rejectionOf(client.create({ _id: "fault", _type: "dbrLead" }))).resolves.toMatchObject({
        statusCode: 500,
      });
    }
    expect(sandbox.document("fault")).toBeUndefined();
    await expect(client.create({ _id: "fault", _type: "dbrLead" })).resolves.toMatchObject({ _id: "fault" });
  });

  it("answers 503 to everything while down", async () => {
    sandbox.setDown(true);
    await expect(rejectionOf(client.fetch("count(*)"))).resolves.toMatchObject({ statusCode: 503 });
    await expect(rejectionOf(client.getDocument("fault"))).resolves.toMatchObject({ statusCode: 503 });
    sandbox.setDown(false);
    await expect(client.getDocument("fault")).resolves.toMatchObject({ _id: "fault" });
  });

  it("calls onRequest once per HTTP request, with the sandbox's URL", async () => {
    nextSecond();
    resetCounters();
    await client.fetch("count(*)");
    await client.getDocuments(["fault", "nope"]);
    await client.transaction().createIfNotExists({ _id: "count", _type: "dbrLead" }).delete("count").commit();
    expect(sent).toHaveLength(3);
    expect(sent.every((url) => url.startsWith(`${sandbox.url}/v2025-02-19/data/`))).toBe(true);
    expect(sandbox.stats()).toMatchObject({ mutateRequests: 1, mutations: 2, queries: 1 });
    expect(sandbox.stats().requests).toHaveLength(3);
  });

  it("counts dry runs as requests but stores nothing", async () => {
    nextSecond();
    resetCounters();
    const result = await client.mutate([{ create: { _id: "dry", _type: "dbrLead" } }], {
      dryRun: true,
      returnDocuments: false,
    });
    expect(result.results).toEqual([{ id: "dry", operation: "create" }]);
    expect(sandbox.document("dry")).toBeUndefined();
    expect(sandbox.stats()).toMatchObject({ mutateRequests: 1, mutations: 0 });
  });

  it("keeps the system fields with its clock, and gives every document of a transaction its id as _rev", async () => {
    nextSecond();
    const result = await client
      .transaction()
      .create({ _id: "clock-a", _type: "dbrLead" })
      .create({ _id: "clock-b", _type: "dbrLead" })
      .commit();
    expect(sandbox.document("clock-a")).toMatchObject({
      _rev: result.transactionId,
      _createdAt: clock.toISOString().replace(".000", ""),
      _updatedAt: clock.toISOString().replace(".000", ""),
    });
    expect(sandbox.document("clock-b")?._rev).toBe(result.transactionId);
  });

  it("patches and deletes the documents a query selects", async () => {
    nextSecond();
    sandbox.seed([
      { _id: "q-1", _type: "queryLead", archived: false },
      { _id: "q-2", _type: "queryLead", archived: true },
      { _id: "q-3", _type: "queryLead", archived: true },
    ]);
    await client.mutate([
      {
        patch: {
          query: "*[_type == $type && archived]",
          params: { type: "queryLead" },
          set: { note: "gone" },
        },
      },
    ]);
    expect(sandbox.document("q-2")).toMatchObject({ note: "gone" });
    expect(sandbox.document("q-1")).not.toHaveProperty("note");
    await client.delete({ query: "*[_type == $type && archived]", params: { type: "queryLead" } });
    expect(
      sandbox
        .documents()
        .filter((document) => document._type === "queryLead")
        .map((d) => d._id),
    ).toEqual(["q-1"]);
  });

  it("adds _key to new array items with autoGenerateArrayKeys", async () => {
    nextSecond();
    await client.create({ _id: "keys", _type: "dbrLead" });
    await client
      .patch("keys")
      .setIfMissing({ bookings: [] })
      .append("bookings", [{ uid: "u1" }])
      .commit({ autoGenerateArrayKeys: true });
    expect(sandbox.document("keys")?.bookings).toEqual([{ _key: expect.stringMatching(/^\w+$/), uid: "u1" }]);
  });

  it("shows queries the published perspective by default, drafts only when asked", async () => {
    sandbox.seed([
      { _id: "persp", _type: "perspLead", firstName: "Published" },
      { _id: "drafts.persp", _type: "perspLead", firstName: "Draft" },
    ]);
    const names = (perspective?: "raw" | "drafts") =>
      client.fetch<string[]>(
        "*[_type == 'perspLead'] | order(_id asc).firstName",
        {},
        perspective ? { perspective } : {},
      );
    await expect(names()).resolves.toEqual(["Published"]);
    await expect(names("raw")).resolves.toEqual(["Draft", "Published"]);
    await expect(names("drafts")).resolves.toEqual(["Draft"]);
  });

  it("gives a caller without a token nothing of the private dataset", async () => {
    nextSecond();
    const anonymous = createSanityClient({ ...sandbox.connection, token: undefined });
    await expect(anonymous.fetch("count(*)")).resolves.toBe(0);
    await expect(anonymous.getDocuments(["fault"])).resolves.toEqual([null]);
    const refused = await rejectionOf(anonymous.create({ _id: "anonymous", _type: "dbrLead" }));
    expect(refused).toMatchObject({
      statusCode: 403,
      details: { items: [{ error: { type: "insufficientPermissionsError", permission: "create" } }] },
    });
    expect(sandbox.document("anonymous")).toBeUndefined();
  });

  it("answers 404 for another dataset, with Sanity's message", async () => {
    const elsewhere = createSanityClient({ ...sandbox.connection, dataset: "staging" });
    const error = await rejectionOf(elsewhere.fetch("count(*)"));
    expect(error).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('Dataset "staging" not found for project ID "calsync-demo"'),
    });
  });

  it("refuses a valid token sent for another project", async () => {
    const otherProject = createSanityClient({ ...sandbox.connection, projectId: "someone-else" });
    await expect(rejectionOf(otherProject.fetch("count(*)"))).resolves.toMatchObject({ statusCode: 401 });
  });

  it("seeds documents as given, filling in the system fields", () => {
    sandbox.seed([{ _id: "seeded", _type: "dbrLead", sheetRow: 7 }]);
    expect(sandbox.document("seeded")).toEqual({
      _id: "seeded",
      _type: "dbrLead",
      sheetRow: 7,
      _rev: expect.any(String),
      _createdAt: expect.any(String),
      _updatedAt: expect.any(String),
    });
    expect(sandbox.documents().some((document) => document._id === "seeded")).toBe(true);
  });
});

describe("Sanity sandbox: raw HTTP answers", () => {
  let sandbox: SanitySandbox;
  beforeAll(async () => {
    sandbox = await startSanitySandbox();
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const call = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${sandbox.url}/v2025-02-19/data/${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${sandbox.connection.token}`, "content-type": "application/json" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it("answers mutate with the transaction id and, as asked, ids and documents", async () => {
    const mutations = [{ createOrReplace: { _id: "raw-1", _type: "dbrLead", firstName: "Mark" } }];
    await expect(call("mutate/production", { method: "POST", body: { mutations } })).resolves.toEqual({
      status: 200,
      body: { transactionId: expect.any(String), results: [] },
    });
    await expect(
      call("mutate/production?returnIds=true", { method: "POST", body: { mutations } }),
    ).resolves.toEqual({
      status: 200,
      body: { transactionId: expect.any(String), results: [{ id: "raw-1", operation: "update" }] },
    });
    const withDocuments = await call("mutate/production?returnDocuments=true&transactionId=my-tx", {
      method: "POST",
      body: { mutations },
    });
    expect(withDocuments.body).toEqual({
      transactionId: "my-tx",
      results: [
        {
          id: "raw-1",
          operation: "update",
          document: expect.objectContaining({ _id: "raw-1", firstName: "Mark", _rev: "my-tx" }),
        },
      ],
    });
  });

  it("answers query with query, result and ms, and doc with documents and omitted", async () => {
    const query = encodeURIComponent("*[_id == $id][0].firstName");
    await expect(call(`query/production?query=${query}&$id=%22raw-1%22`)).resolves.toEqual({
      status: 200,
      body: { query: "*[_id == $id][0].firstName", result: "Mark", ms: expect.any(Number) },
    });
    await expect(call("doc/production/raw-1,raw-missing")).resolves.toEqual({
      status: 200,
      body: {
        documents: [expect.objectContaining({ _id: "raw-1" })],
        omitted: [{ id: "raw-missing", reason: "existence" }],
      },
    });
  });

  it("refuses malformed requests with 400 and says what is wrong", async () => {
    const unwrapped = await call("mutate/production", {
      method: "POST",
      body: { mutations: [{ id: "raw-1", set: { firstName: "Ann" } }] },
    });
    expect(unwrapped).toEqual({
      status: 400,
      body: { error: { description: expect.stringContaining("it has id, set"), type: "httpBadRequest" } },
    });
    const bareParameter = await call(
      `query/production?query=${encodeURIComponent("*[_id == $id]")}&$id=raw-1`,
    );
    expect(bareParameter).toEqual({
      status: 400,
      body: {
        error: { description: expect.stringContaining("Please quote string values"), type: "httpBadRequest" },
      },
    });
    const missingParameter = await call(`query/production?query=${encodeURIComponent("*[_id == $id]")}`);
    expect(missingParameter).toMatchObject({
      status: 400,
      body: { error: { description: "param $id referenced, but not provided", type: "queryParseError" } },
    });
    expect(sandbox.document("raw-1")).toMatchObject({ firstName: "Mark" });
  });
});
