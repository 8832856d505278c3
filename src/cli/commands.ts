import type { Command } from "commander";
import { registerDemoCommand } from "./demo-command.ts";
import { registerHistoryCommand } from "./history-command.ts";
import { registerServeCommand } from "./serve-command.ts";
import { registerSheetsSyncCommand } from "./sheets-sync-command.ts";
import { registerSyncCommand } from "./sync-command.ts";
import { registerUndoCommand } from "./undo-command.ts";
import { registerWebhooksCommand } from "./webhooks-command.ts";

/**
 * Every command, each in its own file; `calsync --help` lists them in this order. A command's file declares
 * only its name, options and help; what it does (its *-action.ts) is imported when it runs, so a start loads
 * the code and packages of one command only (test/loaded-modules.test.ts).
 */
export function registerCommands(program: Command): void {
  registerSyncCommand(program);
  registerServeCommand(program);
  registerSheetsSyncCommand(program);
  registerWebhooksCommand(program);
  registerHistoryCommand(program);
  registerUndoCommand(program);
  registerDemoCommand(program);
}
