export type { Scalar } from "./cell-values.ts";
export { METADATA_CHARACTER_LIMIT } from "./developer-metadata.ts";
export type { SeedValue, SpreadsheetSeed } from "./person-edits.ts";
export { DEFAULT_QUOTA, type QuotaLimits, type RequestKind } from "./quota.ts";
export { type SheetsSandbox, type SheetsSandboxOptions, startSheetsSandbox } from "./sandbox.ts";
export type { Fault, RequestHook, RequestInfo, RequestRecord, SandboxStats } from "./traffic.ts";
