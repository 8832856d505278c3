import type { Command } from "commander";
import { registerDemoCommand } from "./demo-command.ts";
import { registerHistoryCommand } from "./history-command.ts";
import { registerServeCommand } from "./serve-command.ts";
import { registerSheetsSyncCommand } from "./sheets-sync-command.ts";
import { registerSyncCommand } from "./sync-command.ts";
import { registerUndoCommand } from "./undo-command.ts";
import { registerWebhooksCommand } from "./webhooks-command.ts";

/** Every command, each in its own file; `calsync --help` lists them in this order. */
export function registerCommands(program: Command): void {
  registerSyncCommand(program);
  registerServeCommand(program);
  registerSheetsSyncCommand(program);
  registerWebhooksCommand(program);
  registerHistoryCommand(program);
  registerUndoCommand(program);
  registerDemoCommand(program);
}
