import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * Rules of the tree that a reader relies on and a lint rule cannot see: nothing is read from outside the
 * repository, and each entry point loads only what it runs. (Which folder may import which is Biome's
 * noRestrictedImports, in biome.json.)
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIRS = ["src", "test", "bench", "api"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** The parts are joined here so that this file does not name what it looks for. */
const OUTSIDE_THE_REPOSITORY = new RegExp(
  [
    ["\\.\\.", "/shared"].join(""),
    // An absolute path of one machine: a home or work directory, or a Windows drive.
    String.raw`(?<![\w.:/])/(?:work|home|Users|root)/[\w.-]`,
    String.raw`\b[A-Z]:\\[\w.-]`,
  ].join("|"),
);

describe("the repository", () => {
  it("names no path outside itself in any file under src/, test/, bench/ or api/", () => {
    const offenders = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, index) => ({ file: relative(ROOT, file), line: index + 1, text: line.trim() }))
          .filter(({ text }) => OUTSIDE_THE_REPOSITORY.test(text)),
      )
      .map(({ file, line, text }) => `${file}:${line}: ${text}`);
    expect(offenders).toEqual([]);
  });
});

/** Static imports only: a dynamic `import()` is loaded when its command runs, not at start. */
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;

/** Every module an entry point loads at start: our files, and the packages they name. */
function loadedBy(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(STATIC_IMPORT)) {
      const specifier = match[1] as string;
      // Imports of types only vanish at run time, also inside braces: `import { type A, type B } from`.
      if (/^\s*(?:import|export)\s*\{\s*(?:type\s+[\w$]+\s*,?\s*)+\}\s*from/.test(match[0])) continue;
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else if (!specifier.startsWith("node:")) {
        const parts = specifier.split("/");
        packages.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string));
      }
    }
  };
  visit(join(ROOT, entry));
  return { files: [...files].map((file) => relative(ROOT, file)), packages: [...packages] };
}

describe("the entry points", () => {
  it("src/cli/main.ts loads the command list and commander only: each command imports its action when it runs", () => {
    const loaded = loadedBy("src/cli/main.ts");
    expect(
      loaded.files.filter((file) => !/^src\/(cli|webhooks\/webhook-path|errors|log\/redact)\b/.test(file)),
    ).toEqual([]);
    expect(loaded.files.filter((file) => file.endsWith("-action.ts"))).toEqual([]);
    expect(loaded.packages).toEqual(["commander"]);
  });

  // What `calsync sync`, `serve` and `sheets-sync` load when they run, and the Vercel function; only the demo
  // command loads the sandboxes.
  for (const entry of [
    "src/cli/sync-action.ts",
    "src/cli/serve-action.ts",
    "src/cli/sheets-sync-action.ts",
    "api/index.ts",
  ]) {
    it(`${entry} loads no sandbox, demo or groq-js module`, () => {
      const loaded = loadedBy(entry);
      expect(loaded.files.length).toBeGreaterThan(20);
      expect(loaded.files.filter((file) => /^src\/(sandboxes|demo)\//.test(file))).toEqual([]);
      expect(loaded.packages).not.toContain("groq-js");
    });
  }

  it("loads the driver of one database only: SQLite never pg, PostgreSQL never better-sqlite3", () => {
    expect(loadedBy("src/db/sqlite-engine.ts").packages).not.toContain("pg");
    expect(loadedBy("src/db/postgres-engine.ts").packages).not.toContain("better-sqlite3");
    // database.ts opens either: neither driver loads before it knows which.
    const database = loadedBy("src/db/database.ts").packages;
    expect(database).not.toContain("pg");
    expect(database).not.toContain("better-sqlite3");
    expect(loadedBy("src/db/sqlite-engine.ts").packages).toContain("better-sqlite3");
  });

  it("would notice a sandbox that an entry point loads", () => {
    const loaded = loadedBy("src/demo/start-demo.ts");
    expect(loaded.files.some((file) => file.startsWith("src/sandboxes/"))).toBe(true);
    expect(loaded.packages).toContain("groq-js");
  });
});
