import type { DocumentStore } from "./document-store.ts";
import type { FaultInjector } from "./faults.ts";
import type { MutationRateLimiter } from "./rate-limit.ts";
import type { RequestStats } from "./request-stats.ts";

/** Everything the sandbox's routes share: its identity, its data and its switches. */
export type SandboxContext = {
  projectId: string;
  dataset: string;
  tokens: ReadonlySet<string>;
  now: () => Date;
  latencyMs: number;
  store: DocumentStore;
  stats: RequestStats;
  faults: FaultInjector;
  mutationLimiter: MutationRateLimiter;
  isDown: () => boolean;
};
