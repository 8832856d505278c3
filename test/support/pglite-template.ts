import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { acquireFileLock } from "../../src/db/file-lock.ts";

/**
 * A freshly initialised PGlite data directory, dumped once per machine and PGlite version into the temp
 * directory. Starting from it takes about 1 s instead of the ~6 s initdb takes here, which adds up over test
 * files. It holds no tables: each test's schema comes from the migrations as usual.
 */
let template: Promise<Blob> | undefined;

export function pgliteTemplate(): Promise<Blob> {
  template ??= loadOrCreateTemplate();
  return template;
}

async function loadOrCreateTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `calsync-pglite-template-${pgliteVersion()}.tar`);
  if (!existsSync(file)) await createTemplate(file);
  return new Blob([await readFile(file)]);
}

async function createTemplate(file: string): Promise<void> {
  // Test files start in parallel: the first creates the template, the others wait for it.
  const lock = await acquireFileLock(file, { timeoutMs: 120_000, onCompromised: () => {} });
  if (!lock) throw new Error(`timed out waiting for another test process to create ${file}`);
  try {
    if (existsSync(file)) return;
    const pglite = new PGlite();
    // dumpDataDir does not wait for start-up by itself: called early, it never settles.
    await pglite.waitReady;
    const dump = await pglite.dumpDataDir("none");
    await pglite.close();
    // Written under another name and renamed, so a reader never sees half a template.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await lock.release();
  }
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  const packageJson = require(join(dirname(entry), "..", "package.json")) as { version: string };
  return packageJson.version;
}
