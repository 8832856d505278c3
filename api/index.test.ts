import { createConnection, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  announcePostgresSkipped,
  openTestDatabase,
  type TestDatabase,
  testPostgresUrl,
} from "../test/support/db-harness.ts";

/**
 * Item 8 of issue 14: the Vercel function recovers from a failed cold start. The database is reached
 * through a TCP relay this test controls: first nothing listens (the database is briefly unreachable), then
 * the relay forwards to the real PostgreSQL.
 */
const postgresUrl = testPostgresUrl();
if (!postgresUrl) announcePostgresSkipped();

describe.skipIf(!postgresUrl)("the Vercel function", () => {
  let database: TestDatabase;
  let relay: Server | undefined;
  let port: number;
  const saved = { ...process.env };

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    port = await freePort();
    const target = new URL(postgresUrl as string);
    target.host = `127.0.0.1:${port}`;
    target.searchParams.set("options", `-c search_path=${database.schema}`);
    Object.assign(process.env, {
      DATABASE_URL: target.toString(),
      CALCOM_API_KEY: "cal_test_vercel_entry",
      GOOGLE_SHEETS_SPREADSHEET_ID: "sheet-id",
      GOOGLE_ACCESS_TOKEN: "google-token-for-the-test",
      SANITY_PROJECT_ID: "project",
      SANITY_DATASET: "production",
      SANITY_TOKEN: "sanity-token-for-the-test",
      SYNC_SECRET: "vercel-test-sync-secret",
      LOG_LEVEL: "silent",
    });
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => (relay ? relay.close(resolve) : resolve(undefined)));
    await database?.dispose();
  });

  it("answers 503 while the database is unreachable, and serves once it is back, without a redeploy", async () => {
    const { GET } = await import("./index.ts");
    const health = () => GET(new Request("https://calsync.example.vercel.app/api/health"));

    const down = await health();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      success: false,
      message: "calsync is starting or could not start; try again.",
    });
    expect((await health()).status).toBe(503);

    relay = await startRelay(port, new URL(postgresUrl as string));
    const up = await health();
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ ok: true, systems: { database: { status: "ok" } } });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Forwards every connection on `port` to the database. */
function startRelay(port: number, database: URL): Promise<Server> {
  const server = createServer((client) => {
    const upstream = createConnection(Number(database.port || 5432), database.hostname);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}
