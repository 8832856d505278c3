import { DEMO_SHEET_TITLE } from "../../src/demo/seed-leads.ts";
import { type Demo, startDemo } from "../../src/demo/start-demo.ts";
import { silentLogger } from "../../src/log/logger.ts";
import { openTestDatabase, type TestDatabase } from "./db-harness.ts";

export type TestDemo = Demo & {
  /** Everything the demo printed. */
  printed: string[];
  /** One cell of the sandbox sheet as a person sees it, e.g. `cell("X45")`; "" when empty. */
  cell(a1: string): string;
  /** Stops the demo and closes its database. */
  close(): Promise<void>;
};

/**
 * The demo as `npm start` brings it up, on a free port and an in-memory database of its own, with none of
 * the developer's real credentials: `env` holds all the environment it sees.
 */
export async function startTestDemo(env: Record<string, string> = {}): Promise<TestDemo> {
  const database: TestDatabase = await openTestDatabase("sqlite");
  const printed: string[] = [];
  let demo: Demo;
  try {
    demo = await startDemo({
      env: { LOG_LEVEL: "silent", ...env },
      port: 0,
      db: database.db,
      logger: silentLogger,
      log: (text) => printed.push(text),
    });
  } catch (error) {
    await database.dispose();
    throw error;
  }
  const { sheets } = demo;
  const spreadsheetId = demo.seed.spreadsheetId;
  return {
    ...demo,
    printed,
    cell(a1) {
      if (!sheets || !spreadsheetId) throw new Error("the sheet is not a sandbox in this demo");
      return String(sheets.cell(spreadsheetId, `'${DEMO_SHEET_TITLE}'!${a1}`) ?? "");
    },
    async close() {
      await demo.stop();
      await database.dispose();
    },
  };
}
