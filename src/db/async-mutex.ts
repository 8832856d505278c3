/**
 * A first-come, first-served lock between async tasks of one process. Release hands the lock straight to the
 * next waiter, so nobody can slip in between.
 */
export class AsyncMutex {
  #held = false;
  readonly #waiters: (() => void)[] = [];

  /** Resolves to a release function, or to undefined if the lock stayed held for timeoutMs. */
  acquire(timeoutMs: number, onWait?: () => void): Promise<(() => void) | undefined> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(this.#releaser());
    }
    if (timeoutMs <= 0) return Promise.resolve(undefined);
    onWait?.();
    return new Promise((resolve) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(this.#releaser());
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(grant), 1);
        resolve(undefined);
      }, timeoutMs);
      this.#waiters.push(grant);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#held = false;
    };
  }
}
