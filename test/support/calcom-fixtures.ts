import { readdirSync, readFileSync } from "node:fs";

/** The Cal.com samples and the API v2 OpenAPI document, kept in the repository (see their README). */
export const FIXTURES_DIR = new URL("../fixtures/calcom/", import.meta.url);
export const OPENAPI_FILE = new URL("calcom-api-v2-openapi.json", FIXTURES_DIR);

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), "utf8"));
}

export function fixtureNames(prefix: string): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((name) => name.startsWith(prefix) && name.endsWith(".json"))
    .sort();
}
