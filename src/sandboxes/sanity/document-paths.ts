import { isJsonObject, type JsonObject, type JsonValue } from "./json.ts";

/**
 * The part of JSONMatch that patches use in practice: `a.b`, `items[2]`, `items[-1]`, `items[1:3]`,
 * `items[_key=="abc"]` (or single quotes). Wildcards, recursion and filters other than `_key` are refused.
 * https://www.sanity.io/docs/content-lake/json-match
 */
export type PathSegment =
  | { kind: "attribute"; name: string }
  | { kind: "index"; index: number }
  | { kind: "range"; start: number | null; end: number | null }
  | { kind: "key"; key: string };

export class PathSyntaxError extends Error {
  constructor(path: string, detail: string) {
    super(`Invalid path "${path}": ${detail}`);
    this.name = "PathSyntaxError";
  }
}

type SegmentReader = { pattern: RegExp; read: (match: RegExpExecArray) => PathSegment };

const READERS: readonly SegmentReader[] = [
  { pattern: /^[A-Za-z_$][A-Za-z0-9_$-]*/, read: (match) => ({ kind: "attribute", name: match[0] }) },
  { pattern: /^\[\s*(-?\d+)\s*\]/, read: (match) => ({ kind: "index", index: Number(match[1]) }) },
  {
    pattern: /^\[\s*(-?\d+)?\s*:\s*(-?\d+)?\s*\]/,
    read: (match) => ({
      kind: "range",
      start: match[1] ? Number(match[1]) : null,
      end: match[2] ? Number(match[2]) : null,
    }),
  },
  {
    pattern: /^\[\s*_key\s*==\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\]/,
    read: (match) => ({ kind: "key", key: (match[1] ?? match[2] ?? "").replace(/\\(.)/g, "$1") }),
  },
];

export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path.trim();
  while (rest.length > 0) {
    if (segments.length > 0 && rest.startsWith(".")) rest = rest.slice(1);
    const step = readSegment(rest);
    if (!step) {
      throw new PathSyntaxError(
        path,
        `cannot read "${rest}" (the sandbox supports a.b, a[2], a[-1], a[1:3] and a[_key=="k"])`,
      );
    }
    segments.push(step.segment);
    rest = rest.slice(step.length);
  }
  if (segments.length === 0) throw new PathSyntaxError(path, "empty path");
  return segments;
}

function readSegment(text: string): { segment: PathSegment; length: number } | undefined {
  for (const reader of READERS) {
    const match = reader.pattern.exec(text);
    if (match) return { segment: reader.read(match), length: match[0].length };
  }
  return undefined;
}

/** One place a path leads to: an attribute of an object (which may not exist yet), or an item of an array. */
export type PathTarget =
  | { kind: "attribute"; object: JsonObject; name: string }
  | { kind: "item"; array: JsonValue[]; index: number };

export function valueAt(target: PathTarget): JsonValue | undefined {
  return target.kind === "attribute" ? target.object[target.name] : target.array[target.index];
}

export function writeAt(target: PathTarget, value: JsonValue): void {
  if (target.kind === "attribute") target.object[target.name] = value;
  else target.array[target.index] = value;
}

/** Indices an array selector picks, ascending. Negative indices count from the end; misses pick nothing. */
export function selectIndices(array: readonly JsonValue[], segment: PathSegment): number[] {
  const length = array.length;
  const fromEnd = (index: number) => (index < 0 ? length + index : index);
  switch (segment.kind) {
    case "index": {
      const index = fromEnd(segment.index);
      return index >= 0 && index < length ? [index] : [];
    }
    case "range": {
      const start = Math.max(0, fromEnd(segment.start ?? 0));
      const end = Math.min(length, segment.end === null ? length : fromEnd(segment.end));
      return Array.from({ length: Math.max(0, end - start) }, (_, offset) => start + offset);
    }
    case "key":
      return array.flatMap((item, index) => (isJsonObject(item) && item._key === segment.key ? [index] : []));
    case "attribute":
      return [];
  }
}

/**
 * Every place `segments` lead to inside `root`. With `createMissing` (set, setIfMissing), missing or
 * primitive values along the way become `{}`, as Sanity's own patcher does; array selectors that match
 * nothing lead nowhere. The last segment's target need not exist yet.
 */
export function findTargets(
  root: JsonObject,
  segments: readonly PathSegment[],
  createMissing: boolean,
): PathTarget[] {
  let containers: JsonValue[] = [root];
  for (const [position, segment] of segments.entries()) {
    const targets = containers.flatMap((container) => targetsIn(container, segment));
    if (position === segments.length - 1) return targets;
    containers = targets.flatMap((target) => {
      const value = valueAt(target);
      if (value !== undefined && typeof value === "object" && value !== null) return [value];
      if (!createMissing) return [];
      const created: JsonObject = {};
      writeAt(target, created);
      return [created];
    });
  }
  return [];
}

function targetsIn(container: JsonValue, segment: PathSegment): PathTarget[] {
  if (segment.kind === "attribute") {
    return isJsonObject(container) ? [{ kind: "attribute", object: container, name: segment.name }] : [];
  }
  if (!Array.isArray(container)) return [];
  return selectIndices(container, segment).map((index) => ({ kind: "item", array: container, index }));
}
