import type { Command } from "commander";

export type HistoryOptions = { json?: boolean; limit: string };

/**
 * `calsync history [--json] [--limit N]`: the last runs, newest first, each with every cell it changed
 * (row, column as headed in row 1, before, after, why) and every Cal.com action it took, as the run page
 * shows them. Exit 0, or 2 for a bad --limit or configuration.
 */
export function registerHistoryCommand(program: Command): void {
  program
    .command("history")
    .description("List the last runs with every cell change and Cal.com action, and why")
    .option("--json", 'print {"runs":[…]} on stdout')
    .option("--limit <n>", "how many runs, newest first (1 to 1000)", "20")
    .action(async (options: HistoryOptions) => {
      // Loaded when the command runs, like every command's implementation.
      const { runHistoryCommand } = await import("./history-action.ts");
      await runHistoryCommand(options);
    });
}
