import type { Command } from "commander";

/** `calsync serve`: the HTTP server (routes, webhooks, dashboard) and the scheduled jobs, until Ctrl-C. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("Start the HTTP server (sync routes, webhooks, dashboard) and the scheduled syncs")
    .action(async () => {
      // Loaded when the command runs: the server and its dependencies are for this command only.
      const { runServeCommand } = await import("./serve-action.ts");
      await runServeCommand();
    });
}
