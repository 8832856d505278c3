import { InputError } from "../errors.ts";

/** The --limit of `calsync history` and `calsync webhooks deliveries`: a whole number from 1 to max. */
export function parseLimit(text: string, max = 1000): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new InputError(`--limit expects a whole number from 1 to ${max}, got "${text}"`);
  }
  return Number(text);
}
