import { randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Runtime } from "../app/runtime.ts";
import { putFlash, takeFlash as takeStoredFlash } from "../db/dashboard-flashes.ts";
import { redactText } from "../log/redact.ts";
import { needsSecureCookie } from "./guard.ts";
import type { Flash } from "./views/layout.ts";

const FLASH_COOKIE = "calsync_flash";
const FLASH_LIFETIME_MS = 60_000;
const MAX_FLASH_LENGTH = 500;

/**
 * A message for the next page, across a form's redirect. Its text names leads ("Booked Mark Greenall…"), so
 * it is kept in the database and the cookie carries only a random id; the cookie is Secure like the
 * session's on any host but this machine. The text is redacted like the logs: it may quote another system.
 */
export async function setFlash(c: Context, runtime: Runtime, flash: Flash): Promise<void> {
  const id = randomBytes(16).toString("base64url");
  await putFlash(runtime.db, {
    id,
    kind: flash.kind,
    text: redactText(flash.text).slice(0, MAX_FLASH_LENGTH),
    expiresAt: new Date(runtime.ctx.clock().getTime() + FLASH_LIFETIME_MS),
  });
  setCookie(c, FLASH_COOKIE, id, {
    path: "/dashboard",
    httpOnly: true,
    sameSite: "Lax",
    secure: needsSecureCookie(c),
    maxAge: FLASH_LIFETIME_MS / 1000,
  });
}

/** The message a form left for this page, once; null when there is none. */
export async function takeFlash(c: Context, runtime: Runtime): Promise<Flash | null> {
  const id = getCookie(c, FLASH_COOKIE);
  if (!id) return null;
  deleteCookie(c, FLASH_COOKIE, { path: "/dashboard", secure: needsSecureCookie(c) });
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) return null;
  return takeStoredFlash(runtime.db, id, runtime.ctx.clock());
}
