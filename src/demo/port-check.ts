import { createServer } from "node:net";

/**
 * Fails at once when the port is taken, before the sandboxes and the database spend seconds starting: the
 * server itself binds it only at the end. (Another process may still take it in between; the server's own
 * error then says so.)
 */
export function assertPortFree(port: number, hostname: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(port, hostname, () => probe.close(() => resolve()));
  });
}
