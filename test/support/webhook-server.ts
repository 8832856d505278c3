import { BOOKING_TRIGGERS } from "../../src/calcom/webhook-payload.ts";
import type { Database } from "../../src/db/database.ts";
import { type LocalServer, serveLocal } from "../../src/http/serve-local.ts";
import type { CalcomSandboxOptions } from "../../src/sandboxes/calcom/index.ts";
import { createApp } from "../../src/server/app.ts";
import {
  type EventWorker,
  type EventWorkerOptions,
  startEventWorker,
} from "../../src/webhooks/event-worker.ts";
import { type System, startSystem, WEBHOOK_SECRET } from "./system.ts";

export type WebhookSystem = System & {
  server: LocalServer;
  worker: EventWorker;
  webhookUrl: string;
  /** Restarts the receiving process's worker, as a server restart would (stored deliveries stay in the database). */
  restartWorker(options?: EventWorkerOptions): Promise<void>;
};

/** The system of test/system.ts plus calsync's HTTP server, subscribed to the Cal.com sandbox's webhooks. */
export async function startWebhookSystem(options: {
  db: Database;
  rows: (string | number)[][];
  env?: Record<string, string>;
  calcom?: CalcomSandboxOptions;
  worker?: EventWorkerOptions;
  subscribe?: boolean;
  /** The runtime's clock (see startSystem). */
  clock?: () => Date;
}): Promise<WebhookSystem> {
  const system = await startSystem(options);
  const workerOptions: EventWorkerOptions = {
    debounceMs: 5,
    // Tests run many batches quickly; the budget is the burst test's subject, not theirs.
    sheetsCallsPerMinute: 100_000,
    sheetsBurst: 100_000,
    retryBaseMs: 20,
    ...options.worker,
  };
  let worker = startEventWorker(system.runtime.ctx, workerOptions);
  // The app asks whichever worker is current, so a restarted worker receives new deliveries.
  const notifier = { notify: () => worker.notify() };
  const server = await serveLocal(createApp(system.runtime, { webhooks: notifier }));
  const webhookUrl = `${server.url}/api/webhooks/calcom`;
  if (options.subscribe !== false) {
    system.calcom.addWebhook({
      subscriberUrl: webhookUrl,
      triggers: [...BOOKING_TRIGGERS],
      secret: WEBHOOK_SECRET,
    });
  }
  return {
    ...system,
    server,
    webhookUrl,
    get worker() {
      return worker;
    },
    async restartWorker(next) {
      await worker.stop();
      worker = startEventWorker(system.runtime.ctx, { ...workerOptions, ...next });
    },
    close: async () => {
      await worker.stop();
      await server.close();
      await system.close();
    },
  };
}
