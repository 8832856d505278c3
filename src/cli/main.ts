import { Command } from "commander";
import { registerCommands } from "./commands.ts";

const program = new Command()
  .name("calsync")
  .description("Keeps Cal.com bookings, the Google Sheet of leads and the Sanity dashboard in agreement.")
  .showHelpAfterError();

registerCommands(program);
await program.parseAsync(process.argv);
