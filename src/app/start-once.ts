/**
 * A start that is retried until it succeeds: the first caller starts it, callers meanwhile share that
 * attempt, a success is kept for good, and a failure is forgotten so the next caller tries again. On
 * Vercel, a cold start that met a database briefly unreachable must not leave the instance answering 500
 * until the platform recycles it.
 */
export function startOnce<T>(start: () => Promise<T>): () => Promise<T> {
  let started: Promise<T> | undefined;
  return () => {
    started ??= start().catch((error: unknown) => {
      started = undefined;
      throw error;
    });
    return started;
  };
}
