import { createCalcomClient } from "../calcom/client.ts";
import { type Config, loadConfig } from "../config/config.ts";
import { ConfigError } from "../errors.ts";
import {
  describeScope,
  type ListedWebhook,
  listWebhooks,
  REGISTERED_TRIGGERS,
  type RegisterResult,
  registerWebhook,
  resolveWebhookUrl,
  WEBHOOK_PATH,
  type WebhookListing,
} from "../webhooks/register-webhook.ts";
import { EXIT, exitAfterOutput, exitWithError } from "./exit.ts";

type Problem = { variable: string; problem: string };

const MISSING_API_KEY: Problem = {
  variable: "CALCOM_API_KEY",
  problem: "required: a Cal.com API key (Settings → Developer → API keys)",
};
const MISSING_SECRET: Problem = {
  variable: "CALCOM_WEBHOOK_SECRET",
  problem:
    "required: the secret Cal.com signs deliveries with; the server must run with the same value " +
    "(e.g. `openssl rand -hex 32`)",
};

/** What `calsync webhooks register` does (its options are in webhooks-command.ts). */
export async function runWebhooksRegister(options: { url: string; json?: boolean }): Promise<void> {
  const problems: Problem[] = [];
  const resolved = resolveWebhookUrl(options.url);
  if (!resolved.ok) problems.push({ variable: "--url", problem: resolved.error });
  const env = process.env;
  let config: Config | null = null;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) return exitWithError(error, options);
    problems.push(...error.problems);
  }
  // Named even when another variable is malformed, so one run lists everything to fix.
  const missing = (problem: Problem, value: string | undefined) =>
    !value && !problems.some((known) => known.variable === problem.variable);
  if (missing(MISSING_API_KEY, config ? config.calcom.apiKey : env.CALCOM_API_KEY?.trim())) {
    problems.push(MISSING_API_KEY);
  }
  if (missing(MISSING_SECRET, config ? config.calcom.webhookSecret : env.CALCOM_WEBHOOK_SECRET?.trim())) {
    problems.push(MISSING_SECRET);
  }
  if (problems.length > 0 || !config || !resolved.ok)
    return exitWithError(new ConfigError(problems), options);

  const { url, pathAppended } = resolved.value;
  let result: RegisterResult;
  try {
    result = await registerWebhook({
      calcom: calcomClient(config),
      url,
      secret: config.calcom.webhookSecret ?? "",
      eventTypeIds: config.calcom.eventTypeIds,
    });
  } catch (error) {
    return exitWithError(error, options);
  }
  const warnings = [...resolved.value.warnings, ...result.warnings];
  if (options.json) {
    print(
      JSON.stringify({
        success: true,
        url,
        pathAppended,
        triggers: REGISTERED_TRIGGERS,
        webhooks: result.webhooks,
        warnings,
      }),
    );
  } else {
    print(formatRegisterResult({ ...result, warnings }, { input: options.url, pathAppended }));
  }
  return exitAfterOutput(EXIT.OK);
}

/** What `calsync webhooks list` does. */
export async function runWebhooksList(options: { json?: boolean }): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    return exitWithError(error, options);
  }
  if (!config.calcom.apiKey) return exitWithError(new ConfigError([MISSING_API_KEY]), options);
  let listing: WebhookListing;
  try {
    listing = await listWebhooks({
      calcom: calcomClient(config),
      eventTypeIds: config.calcom.eventTypeIds,
      secret: config.calcom.webhookSecret,
    });
  } catch (error) {
    return exitWithError(error, options);
  }
  if (options.json) {
    const webhooks = listing.scopes.flatMap((scope) => scope.webhooks);
    print(
      JSON.stringify({
        success: true,
        eventTypeIds: config.calcom.eventTypeIds,
        webhooks,
        warnings: listing.warnings,
      }),
    );
  } else {
    print(formatWebhookListing(listing));
  }
  return exitAfterOutput(EXIT.OK);
}

function calcomClient(config: Config) {
  return createCalcomClient({ apiUrl: config.calcom.apiUrl, apiKey: config.calcom.apiKey ?? "" });
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** The readable summary of `calsync webhooks register`. */
export function formatRegisterResult(
  result: RegisterResult,
  given: { input: string; pathAppended: boolean },
): string {
  const lines: string[] = [];
  if (given.pathAppended) {
    lines.push(`Added ${WEBHOOK_PATH} to ${given.input.trim()}: calsync receives Cal.com webhooks there.`);
  }
  lines.push(`Cal.com webhook for ${result.subscriberUrl}:`);
  const width = Math.max(...result.webhooks.map((webhook) => describeScope(webhook.scope).length));
  for (const webhook of result.webhooks) {
    const fixed = webhook.action === "updated" ? ` (set ${webhook.changed.join(", ")})` : "";
    lines.push(
      `  ${webhook.action.padEnd(9)}  ${describeScope(webhook.scope).padEnd(width)}  id ${webhook.id}${fixed}`,
    );
  }
  lines.push(`  triggers: ${REGISTERED_TRIGGERS.join(", ")}`);
  lines.push(
    "  Deliveries are signed with CALCOM_WEBHOOK_SECRET: the server at that URL must run with the same value.",
  );
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}

/** The readable listing of `calsync webhooks list`; secrets are described, never shown. */
export function formatWebhookListing(listing: WebhookListing): string {
  const lines: string[] = [];
  for (const { scope, webhooks } of listing.scopes) {
    const title = scope.kind === "user" ? "User-level (every booking)" : `Event type ${scope.eventTypeId}`;
    if (webhooks.length === 0) {
      lines.push(`${title}: no subscriptions`);
      continue;
    }
    lines.push(`${title}:`);
    for (const webhook of webhooks) lines.push(...describeWebhook(webhook));
  }
  const calsync = listing.scopes.flatMap((scope) => scope.webhooks).filter((webhook) => webhook.isCalsyncUrl);
  if (calsync.length === 0) {
    lines.push(
      `No subscription sends to a calsync endpoint (${WEBHOOK_PATH}). Add one with ` +
        "`calsync webhooks register --url https://<your host>`.",
    );
  }
  for (const warning of listing.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}

function describeWebhook(webhook: ListedWebhook): string[] {
  const secret = !webhook.hasSecret
    ? `none${webhook.isCalsyncUrl ? " (calsync refuses unsigned deliveries with 401)" : ""}`
    : !webhook.isCalsyncUrl
      ? "set"
      : webhook.secretMatches === true
        ? "set, same as CALCOM_WEBHOOK_SECRET"
        : webhook.secretMatches === false
          ? "set, DIFFERENT from CALCOM_WEBHOOK_SECRET (calsync would refuse deliveries with 401)"
          : "set (CALCOM_WEBHOOK_SECRET is not set here to compare)";
  const lines = [
    `  ${webhook.subscriberUrl}`,
    `    id        ${webhook.id}`,
    `    status    ${webhook.active ? "active" : "inactive"}`,
    `    triggers  ${webhook.triggers.join(", ") || "(none)"}`,
    `    secret    ${secret}`,
  ];
  if (webhook.missingTriggers.length > 0) {
    lines.push(`    missing   ${webhook.missingTriggers.join(", ")} (calsync acts on these)`);
  }
  if (webhook.hasPayloadTemplate) {
    lines.push(
      `    template  custom payload template${webhook.isCalsyncUrl ? " (calsync needs the default payload)" : ""}`,
    );
  }
  return lines;
}
