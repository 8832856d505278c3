import { Hono } from "hono";
import { serveLocal } from "../../src/http/serve-local.ts";

export type ReceivedWebhook = { headers: Record<string, string>; body: string };

/** A subscriber for tests: keeps every delivery's headers and exact body text, answers `status`. */
export async function startWebhookReceiver(status = 200) {
  const received: ReceivedWebhook[] = [];
  const app = new Hono();
  app.post("*", async (c) => {
    received.push({ headers: Object.fromEntries(c.req.raw.headers), body: await c.req.text() });
    return c.text("ok", status as 200);
  });
  const server = await serveLocal(app);
  return { url: `${server.url}/hooks/calcom`, received, close: () => server.close() };
}
