import { createHash } from "node:crypto";
import { getMeta, setMeta } from "../db/meta.ts";
import type { RowAnchor, SyncContext } from "./context.ts";

/**
 * Which row anchor each lead has, kept between runs (calsync_meta), so a lead written before is written
 * again with no extra call, and so calsync knows which anchors are its own to remove.
 *
 * Google caps a sheet's developer metadata at 30,000 characters (keys and values). calsync's anchors use
 * at most OUR_SHARE of them (4,000 anchors of 6 characters), leaving room for other tools; once full, the
 * anchors used longest ago make room (a lead without one is simply anchored again on its next write).
 * https://developers.google.com/workspace/sheets/api/guides/metadata
 */
const REGISTRY_KEY = "sheet.anchors";
export const SHEET_METADATA_LIMIT = 30_000;
const OUR_SHARE = 24_000;
/** Of what other tools leave free, the part calsync leaves them for entries they add later. */
const LEAVE_FOR_OTHERS = { share: 0.1, atMost: 600 };

export type AnchorEntry = { anchorId: number; row: number; usedAt: number };

export type AnchorRegistry = {
  sheetTitle: string;
  sheetId: number | null;
  /** How many anchors calsync keeps on the tab at most. */
  capacity: number;
  /** By lead key (or, for a row without phone or email, by its fingerprint). */
  entries: Map<string, AnchorEntry>;
  /** Anchors to remove in the next batch: ones that landed on the wrong row, were replaced, or made room. */
  strays: Set<number>;
  /** The tab's metadata was counted during this run (not kept). */
  counted?: boolean;
  /** The registry as stored when loaded: saving an unchanged registry writes nothing. */
  stored?: string;
};

type Stored = {
  sheetTitle: string;
  sheetId: number | null;
  capacity: number;
  entries: [string, number, number, number][];
  strays: number[];
};

/** An anchor's tag: 4 base-36 characters of a hash of the key, so no personal data sits in the sheet. */
export function tagOf(key: string): string {
  const bits = createHash("sha256").update(key).digest().readUInt32BE(0) % 36 ** 4;
  return bits.toString(36).padStart(4, "0");
}

export function defaultCapacity(ctx: SyncContext): number {
  return Math.floor(OUR_SHARE / ctx.sheet.anchorCharacters(tagOf("")));
}

export async function loadAnchorRegistry(ctx: SyncContext, sheetTitle: string): Promise<AnchorRegistry> {
  const fresh: AnchorRegistry = {
    sheetTitle,
    sheetId: null,
    capacity: defaultCapacity(ctx),
    entries: new Map(),
    strays: new Set(),
  };
  const text = await getMeta(ctx.db, REGISTRY_KEY);
  if (!text) return fresh;
  try {
    const stored = JSON.parse(text) as Stored;
    // Another tab (or a renamed one): start afresh; anchors left behind are found by the next census.
    if (stored.sheetTitle !== sheetTitle) return fresh;
    return {
      stored: text,
      sheetTitle,
      sheetId: stored.sheetId,
      capacity: stored.capacity,
      entries: new Map(
        stored.entries.map(([key, anchorId, row, usedAt]) => [key, { anchorId, row, usedAt }]),
      ),
      strays: new Set(stored.strays),
    };
  } catch {
    return fresh;
  }
}

export async function saveAnchorRegistry(ctx: SyncContext, registry: AnchorRegistry): Promise<void> {
  const stored: Stored = {
    sheetTitle: registry.sheetTitle,
    sheetId: registry.sheetId,
    capacity: registry.capacity,
    entries: [...registry.entries].map(([key, e]) => [key, e.anchorId, e.row, e.usedAt]),
    strays: [...registry.strays],
  };
  const text = JSON.stringify(stored);
  if (text === registry.stored) return;
  await setMeta(ctx.db, REGISTRY_KEY, text);
  registry.stored = text;
}

/** Anchors not written through for this long are removed with the next batch: their leads' calls are over. */
const UNUSED_FOR_MS = 30 * 86_400_000;

export function pruneUnused(registry: AnchorRegistry, now: number, keep: ReadonlySet<string>): void {
  for (const [key, entry] of registry.entries) {
    if (!keep.has(key) && entry.usedAt < now - UNUSED_FOR_MS) retireAnchor(registry, key);
  }
}

/** Forgets a key's anchor and queues it for removal (it no longer sits on that key's row). */
export function retireAnchor(registry: AnchorRegistry, key: string): void {
  const entry = registry.entries.get(key);
  if (!entry) return;
  registry.entries.delete(key);
  registry.strays.add(entry.anchorId);
}

/**
 * Makes room for anchors of the `wanted` keys and answers those that fit now: keys with an anchor already
 * only replace it, and anchors of keys not in `keep` make room, those used longest ago first.
 */
export function makeRoom(
  registry: AnchorRegistry,
  wanted: readonly string[],
  keep: ReadonlySet<string>,
): string[] {
  const replacing = wanted.filter((key) => registry.entries.has(key));
  const adding = wanted.filter((key) => !registry.entries.has(key));
  let free = registry.capacity - registry.entries.size;
  const evictable = [...registry.entries]
    .filter(([key]) => !keep.has(key))
    .sort(([, a], [, b]) => a.usedAt - b.usedAt);
  for (const [key] of evictable) {
    if (free >= adding.length) break;
    retireAnchor(registry, key);
    free++;
  }
  return [...replacing, ...adding.slice(0, Math.max(0, free))];
}

/**
 * What a census of the tab's metadata showed: anchors of ours the registry does not know (left by a run
 * that failed before saving, or a registry lost with its database) are removed; entries whose anchor has
 * gone (its row was deleted) are forgotten; and the capacity is what other tools leave free.
 */
export function applyCensus(
  ctx: SyncContext,
  registry: AnchorRegistry,
  census: { anchors: readonly RowAnchor[]; othersCharacters: number },
): void {
  const present = new Set(census.anchors.map((anchor) => anchor.anchorId));
  const known = new Set([...registry.entries.values()].map((entry) => entry.anchorId));
  for (const [key, entry] of registry.entries) if (!present.has(entry.anchorId)) registry.entries.delete(key);
  for (const id of registry.strays) if (!present.has(id)) registry.strays.delete(id);
  for (const anchor of census.anchors) if (!known.has(anchor.anchorId)) registry.strays.add(anchor.anchorId);
  const left = Math.max(0, SHEET_METADATA_LIMIT - census.othersCharacters);
  const free = left - Math.min(LEAVE_FOR_OTHERS.atMost, Math.floor(left * LEAVE_FOR_OTHERS.share));
  const fits = Math.floor(free / ctx.sheet.anchorCharacters(tagOf("")));
  registry.capacity = Math.max(0, Math.min(defaultCapacity(ctx), fits));
}
