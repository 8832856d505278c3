import type { Command } from "commander";

export type SyncOptions = { dryRun?: boolean; json?: boolean; confirmReverse?: boolean };

/** `calsync sync [--dry-run] [--json]`: one run; exit 0 success, 1 failed run, 2 bad configuration. */
export function registerSyncCommand(program: Command): void {
  program
    .command("sync")
    .description("Run the Cal.com → sheet → Sanity sync once")
    .option("--dry-run", "plan and print what would be written, writing nothing")
    .option("--json", "print the run's JSON result on stdout (logs go to stderr)")
    .option(
      "--confirm-reverse",
      "take the Cal.com actions of sheet edits even past MAX_REVERSE_ACTIONS_PER_RUN",
    )
    .action(async (options: SyncOptions) => {
      // Loaded when the command runs, so that `calsync --help` and the other commands do not load the sync.
      const { runSyncCommand } = await import("./sync-action.ts");
      await runSyncCommand(options);
    });
}
