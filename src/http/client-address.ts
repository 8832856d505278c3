import type { IncomingMessage } from "node:http";
import { isIPv4, isIPv6 } from "node:net";
import type { Context } from "hono";

/** Who sent a request, as far as the deployment can tell; what login failures are counted against. */
export type ClientAddress = (c: Context) => string;

/**
 * On the Node server: the connection's address. X-Forwarded-For is believed only when the connection comes
 * from this machine (a reverse proxy in front of calsync, as the README suggests); from anywhere else the
 * header is the sender's own say-so, and believing it would let one sender pass for any number of clients.
 * Its last entry is the one the proxy added: everything before it came from the client.
 */
export const nodeClientAddress: ClientAddress = (c) => {
  const peer = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
  if (!peer) return "unknown";
  const forwarded = c.req.header("x-forwarded-for");
  if (forwarded && isLoopbackAddress(peer)) {
    const last = forwarded.split(",").at(-1)?.trim() ?? "";
    if (isIPv4(last) || isIPv6(last)) return clientKey(last);
  }
  return clientKey(peer);
};

/**
 * On Vercel: the platform sets X-Real-IP and X-Forwarded-For to the client's address and overwrites
 * whatever the client sent (https://vercel.com/docs/headers/request-headers).
 */
export const vercelClientAddress: ClientAddress = (c) => {
  const candidate = c.req.header("x-real-ip") ?? c.req.header("x-forwarded-for")?.split(",")[0] ?? "";
  const address = candidate.trim();
  return isIPv4(address) || isIPv6(address) ? clientKey(address) : "unknown";
};

/**
 * The key failures are counted under: an IPv4 address as is (also when written IPv4-mapped, ::ffff:1.2.3.4),
 * an IPv6 address by its /64 network, since one home or server is handed a whole /64 to pick from.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = address.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
  const groups = address.includes("::")
    ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

function isLoopbackAddress(address: string): boolean {
  return address === "::1" || /^(::ffff:)?127\./i.test(address);
}
