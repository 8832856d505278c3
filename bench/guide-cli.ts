/**
 * The guide's algorithm as one process, the way calsync is measured (`node --import tsx bench/guide-cli.ts`):
 * it reads the same environment variables calsync's CLI reads to reach the sandboxes, runs once, prints its
 * JSON answer on stdout and exits. Its process start is in its wall time, as calsync's is in calsync's.
 */
import { runGuideAlgorithm } from "./guide-algorithm.ts";

function need(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

const result = await runGuideAlgorithm({
  calcomUrl: need("CALCOM_API_URL"),
  calcomApiKey: need("CALCOM_API_KEY"),
  sheetsUrl: need("GOOGLE_SHEETS_API_URL"),
  sheetsToken: need("GOOGLE_ACCESS_TOKEN"),
  spreadsheetId: need("GOOGLE_SHEETS_SPREADSHEET_ID"),
  sanity: {
    projectId: need("SANITY_PROJECT_ID"),
    dataset: need("SANITY_DATASET"),
    token: need("SANITY_TOKEN"),
    apiHost: need("SANITY_API_HOST"),
  },
});
const { updates: _updates, ...answer } = result;
process.stdout.write(`${JSON.stringify(answer)}\n`);
// The guide's 500 on a stopped run.
process.exit(result.success ? 0 : 1);
