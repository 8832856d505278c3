import type { Command } from "commander";
import { WEBHOOK_PATH } from "../webhooks/webhook-path.ts";
import { registerWebhookDeliveriesCommand } from "./webhooks-deliveries-command.ts";

/**
 * `calsync webhooks register --url <public url> [--json]` and `calsync webhooks list [--json]`: the Cal.com
 * subscription that sends booking changes to calsync's server. Exit 0 done, 1 Cal.com failed, 2 bad
 * configuration or --url.
 */
export function registerWebhooksCommand(program: Command): void {
  const webhooks = program
    .command("webhooks")
    .description("Register or show the Cal.com webhook subscription that sends bookings to calsync");

  webhooks
    .command("register")
    .description(
      `Create or update the Cal.com webhook for <url>${WEBHOOK_PATH} (per event type in CALCOM_EVENT_TYPE_IDS, else for all bookings), signed with CALCOM_WEBHOOK_SECRET`,
    )
    .requiredOption(
      "--url <public url>",
      `calsync's public URL, e.g. https://calsync.example.com (the path ${WEBHOOK_PATH} is added if missing)`,
    )
    .option("--json", "print the result as JSON on stdout")
    .action(async (options: { url: string; json?: boolean }) => {
      // Loaded when the command runs, like every command's implementation.
      const { runWebhooksRegister } = await import("./webhooks-action.ts");
      await runWebhooksRegister(options);
    });

  webhooks
    .command("list")
    .description("Show the Cal.com webhook subscriptions: the user's and those of CALCOM_EVENT_TYPE_IDS")
    .option("--json", "print the subscriptions as JSON on stdout")
    .action(async (options: { json?: boolean }) => {
      const { runWebhooksList } = await import("./webhooks-action.ts");
      await runWebhooksList(options);
    });

  registerWebhookDeliveriesCommand(webhooks);
}
