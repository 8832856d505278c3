import type { Command } from "commander";
import { loadConfig, requireSystems } from "../config/config.ts";
import { exitWithError } from "./exit.ts";

export function registerCommands(program: Command): void {
  program
    .command("sync")
    .description("Run the Cal.com → sheet → Sanity sync once")
    .option("--dry-run", "plan and print what would be written, writing nothing")
    .option("--json", "print the run's JSON result on stdout (logs go to stderr)")
    .action((options: { dryRun?: boolean; json?: boolean }) => {
      try {
        const config = loadConfig(process.env);
        requireSystems(config, ["calcom", "sheets", "sanity"]);
      } catch (error) {
        exitWithError(error, options);
      }
    });
}
