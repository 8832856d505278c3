import type { Command } from "commander";

export type UndoOptions = { dryRun?: boolean; json?: boolean };

/**
 * `calsync undo <run-id> [--dry-run] [--json]`: puts back every cell of the run that still holds what the
 * run wrote, skipping (with the reason) every other; never calls Cal.com. Exit 0 when it ran (whatever it
 * could restore), 2 for an unknown run id or bad configuration, 1 when a system failed.
 */
export function registerUndoCommand(program: Command): void {
  program
    .command("undo")
    .description(
      "Undo a run in the sheet: restore the cells that still hold what it wrote (never calls Cal.com)",
    )
    .argument("<run-id>", "the run, as `calsync history` or the dashboard's run page names it")
    .option("--dry-run", "show what would be restored and skipped, writing nothing")
    .option("--json", "print the result as JSON on stdout")
    .action(async (runId: string, options: UndoOptions) => {
      // Loaded when the command runs, like every command's implementation.
      const { runUndoCommand } = await import("./undo-action.ts");
      await runUndoCommand(runId, options);
    });
}
