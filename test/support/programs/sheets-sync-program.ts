// `calsync` with only the sheets-sync command, as commands.ts registers it, so its test does not depend on that list.
import { Command } from "commander";
import { registerSheetsSyncCommand } from "../../../src/cli/sheets-sync-command.ts";

const program = new Command().name("calsync");
registerSheetsSyncCommand(program);
await program.parseAsync(process.argv);
