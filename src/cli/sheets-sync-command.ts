import type { Command } from "commander";

/** `calsync sheets-sync [--json]`: one sheet → Sanity copy; exit 0 success, 1 failed run, 2 bad configuration. */
export function registerSheetsSyncCommand(program: Command): void {
  program
    .command("sheets-sync")
    .description("Copy the sheet's leads into the Sanity dashboard once (only rows that changed)")
    .option("--json", "print the run's JSON result on stdout (logs go to stderr)")
    .action(async (options: { json?: boolean }) => {
      // Loaded when the command runs, like every command's implementation.
      const { runSheetsSyncCommand } = await import("./sheets-sync-action.ts");
      await runSheetsSyncCommand(options);
    });
}
