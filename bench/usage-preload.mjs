// Loaded into every process the bench measures (NODE_OPTIONS=--import=<this file>): Node gives a parent no
// resource usage of its children, so the child writes its own on exit. Plain JavaScript, so it works whether
// bin/calsync.js runs the TypeScript sources through tsx or compiled JavaScript. One file per pid, so a
// process the measured one starts (with the same NODE_OPTIONS) never overwrites the measured figures.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.CALSYNC_BENCH_USAGE_DIR;
if (dir) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes, the CPU times in microseconds.
    const figures = { maxRssKb: usage.maxRSS, userUs: usage.userCPUTime, systemUs: usage.systemCPUTime };
    try {
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(figures));
    } catch {
      // The bench then reports the figures as unknown; the measured process must not fail because of it.
    }
  });
}
