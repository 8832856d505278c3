/** Which API a request went to; faults can be aimed at one of them. */
export type RequestKind = "mutate" | "query" | "doc" | "other";

export function requestKindOf(path: string): RequestKind {
  const match = /^\/v[^/]+\/data\/(mutate|query|doc)(\/|$)/.exec(path);
  return (match?.[1] as RequestKind | undefined) ?? "other";
}

export type SandboxRequestRecord = {
  method: string;
  /** Path without the query string, e.g. `/v2025-02-19/data/mutate/production`. */
  path: string;
  /** The query string, e.g. `?returnIds=true&visibility=sync`, or "" when there is none. */
  search: string;
  kind: RequestKind;
  /** The status the sandbox answered with, faults and refusals included. */
  status: number;
};

export type SandboxStats = {
  /** Requests to the mutate endpoint, whatever their outcome. */
  mutateRequests: number;
  /** Mutations committed: each entry of each applied transaction (dry runs and refused ones excluded). */
  mutations: number;
  /** Requests to the query endpoint, whatever their outcome. */
  queries: number;
  /** Every request, in the order they were answered. */
  requests: SandboxRequestRecord[];
};

export class RequestStats {
  #requests: SandboxRequestRecord[] = [];
  #mutations = 0;

  record(request: SandboxRequestRecord): void {
    this.#requests.push(request);
  }

  countMutations(count: number): void {
    this.#mutations += count;
  }

  snapshot(): SandboxStats {
    const requests = this.#requests.map((request) => ({ ...request }));
    return {
      mutateRequests: requests.filter((request) => request.kind === "mutate").length,
      mutations: this.#mutations,
      queries: requests.filter((request) => request.kind === "query").length,
      requests,
    };
  }

  reset(): void {
    this.#requests = [];
    this.#mutations = 0;
  }
}
