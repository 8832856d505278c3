import { readdirSync, readFileSync } from "node:fs";

/** The shared Cal.com samples (/work/shared/fixtures/calcom), relative to this file so any checkout finds them. */
export const FIXTURES_DIR = new URL("../../../../shared/fixtures/calcom/", import.meta.url);
export const OPENAPI_FILE = new URL("../../../../shared/specs/calcom-api-v2-openapi.json", import.meta.url);

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), "utf8"));
}

export function fixtureNames(prefix: string): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.startsWith(prefix) && name.endsWith(".json"))
    .sort();
}
