import type { Command } from "commander";

/**
 * `calsync webhooks deliveries [--json] [--limit N]`: each delivery the webhook route received, newest
 * first (received at, trigger, booking, signature, stored or duplicate, applied at, latency, outcome or
 * error), and the last day's received and missed counts. Exit 0, or 2 for bad input or configuration.
 */
export function registerWebhookDeliveriesCommand(webhooks: Command): void {
  webhooks
    .command("deliveries")
    .description("List the webhook deliveries received, and the deliveries missed in the last 24 hours")
    .option("--json", 'print {"success":true,"webhooks":{…},"deliveries":[…]} on stdout')
    .option("--limit <n>", "how many deliveries, newest first (1 to 1000)", "50")
    .action(async (options: { json?: boolean; limit: string }) => {
      // Loaded when the command runs, like every command's implementation.
      const { runWebhookDeliveries } = await import("./webhooks-deliveries-action.ts");
      await runWebhookDeliveries(options);
    });
}
