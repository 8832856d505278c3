import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";

export type LocalServer = { url: string; port: number; close(): Promise<void> };

/** Serves a Hono app on 127.0.0.1 (port 0 picks a free one) and gives back its base URL. */
export function serveLocal(app: Hono, port = 0, hostname = "127.0.0.1"): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once("error", reject);
  });
}
