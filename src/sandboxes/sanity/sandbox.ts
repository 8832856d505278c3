import { serveLocal } from "../../http/serve-local.ts";
import { buildSandboxApp } from "./app.ts";
import { DocumentStore, type StoredDocument } from "./document-store.ts";
import { type Fault, FaultInjector } from "./faults.ts";
import { newTransactionId, systemTimestamp } from "./identifiers.ts";
import type { JsonObject } from "./json.ts";
import { MutationRateLimiter } from "./rate-limit.ts";
import { RequestStats, type SandboxStats } from "./request-stats.ts";
import type { SandboxContext } from "./sandbox-context.ts";

export type SanitySandboxOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Simulated network delay before each request is handled. */
  latencyMs?: number;
  /** Tokens the project accepts; the first is the one `connection` hands out. */
  tokens?: readonly string[];
  projectId?: string;
  dataset?: string;
  /** Mutation requests allowed per second before 429; Sanity's default is 25. */
  mutationsPerSecond?: number;
  /** The sandbox's clock: `_createdAt`/`_updatedAt`, GROQ's `now()` and the rate-limit windows. */
  now?: () => Date;
};

/** A document to load as it is, e.g. a dashboard's existing leads. System fields are filled in when absent. */
export type SeedDocument = { _id: string; _type: string; [field: string]: unknown };

export type SanitySandbox = {
  /** What SANITY_API_HOST should hold, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The settings a client needs to talk to this sandbox (the shape of `config.sanity`). */
  readonly connection: { projectId: string; dataset: string; token: string; apiHost: string };
  close(): Promise<void>;
  /** Every document, copies, for assertions. */
  documents(): StoredDocument[];
  document(id: string): StoredDocument | undefined;
  seed(documents: readonly SeedDocument[]): void;
  /** The next `count` (default 1) requests of `kind` (default any) fail with `status` and Sanity's body. */
  failNext(fault: Fault): void;
  /** While down, every request gets 503. */
  setDown(down: boolean): void;
  stats(): SandboxStats;
  resetStats(): void;
};

export const SANDBOX_DEFAULTS = {
  projectId: "calsync-demo",
  dataset: "production",
  token: "sanity-sandbox-token",
  mutationsPerSecond: 25,
} as const;

/** Starts a local imitation of Sanity's HTTP API that the real @sanity/client can talk to unchanged. */
export async function startSanitySandbox(options: SanitySandboxOptions = {}): Promise<SanitySandbox> {
  const tokens = options.tokens ?? [SANDBOX_DEFAULTS.token];
  const now = options.now ?? (() => new Date());
  let down = false;
  const context: SandboxContext = {
    projectId: options.projectId ?? SANDBOX_DEFAULTS.projectId,
    dataset: options.dataset ?? SANDBOX_DEFAULTS.dataset,
    tokens: new Set(tokens),
    now,
    latencyMs: options.latencyMs ?? 0,
    store: new DocumentStore(),
    stats: new RequestStats(),
    faults: new FaultInjector(),
    mutationLimiter: new MutationRateLimiter(
      options.mutationsPerSecond ?? SANDBOX_DEFAULTS.mutationsPerSecond,
      now,
    ),
    isDown: () => down,
  };
  const server = await serveLocal(buildSandboxApp(context), options.port ?? 0);

  return {
    url: server.url,
    connection: {
      projectId: context.projectId,
      dataset: context.dataset,
      token: tokens[0] ?? "",
      apiHost: server.url,
    },
    close: () => server.close(),
    documents: () => context.store.all(),
    document: (id) => context.store.get(id),
    seed: (documents) => {
      const revision = newTransactionId();
      const timestamp = systemTimestamp(now());
      for (const document of documents) {
        const fields = JSON.parse(JSON.stringify(document)) as JsonObject;
        const text = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);
        context.store.put({
          ...fields,
          _id: document._id,
          _type: document._type,
          _rev: text(fields._rev, revision),
          _createdAt: text(fields._createdAt, timestamp),
          _updatedAt: text(fields._updatedAt, timestamp),
        });
      }
    },
    failNext: (fault) => context.faults.add(fault),
    setDown: (isDown) => {
      down = isDown;
    },
    stats: () => context.stats.snapshot(),
    resetStats: () => context.stats.reset(),
  };
}
