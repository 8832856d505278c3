/**
 * Where calsync's server receives Cal.com deliveries (src/server/routes/calcom-webhook.ts). A module of its
 * own so that `calsync --help` can name it without loading the webhook code.
 */
export const WEBHOOK_PATH = "/api/webhooks/calcom";
