/**
 * The JSON bodies the sandbox accepts, checked as strictly as Google checks them: an unknown field is an
 * error ("Invalid JSON payload received. Unknown name ..."), which catches typos in our own client code.
 * Shapes: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/request
 */
import { z } from "zod";
import { invalidArgument } from "./api-errors.ts";

const int = z.number().int();

export const MajorDimensionSchema = z.enum(["ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"]);

export const ValueRangeSchema = z.strictObject({
  range: z.string().optional(),
  majorDimension: MajorDimensionSchema.optional(),
  values: z.array(z.array(z.unknown())).optional(),
});

export const GridRangeSchema = z.strictObject({
  sheetId: int.optional(),
  startRowIndex: int.optional(),
  endRowIndex: int.optional(),
  startColumnIndex: int.optional(),
  endColumnIndex: int.optional(),
});

export const DimensionRangeSchema = z.strictObject({
  sheetId: int,
  dimension: z.enum(["ROWS", "COLUMNS"]),
  startIndex: int.optional(),
  endIndex: int.optional(),
});

export const MetadataLocationSchema = z.strictObject({
  locationType: z.enum(["ROW", "COLUMN", "SHEET", "SPREADSHEET"]).optional(),
  spreadsheet: z.boolean().optional(),
  sheetId: int.optional(),
  dimensionRange: DimensionRangeSchema.optional(),
});

export const DeveloperMetadataSchema = z.strictObject({
  metadataId: int.optional(),
  metadataKey: z.string().optional(),
  metadataValue: z.string().optional(),
  location: MetadataLocationSchema.optional(),
  visibility: z.enum(["DOCUMENT", "PROJECT"]).optional(),
});

export const MetadataLookupSchema = z.strictObject({
  locationType: z.enum(["ROW", "COLUMN", "SHEET", "SPREADSHEET"]).optional(),
  metadataLocation: MetadataLocationSchema.optional(),
  locationMatchingStrategy: z.enum(["EXACT_LOCATION", "INTERSECTING_LOCATION"]).optional(),
  metadataId: int.optional(),
  metadataKey: z.string().optional(),
  metadataValue: z.string().optional(),
  visibility: z.enum(["DOCUMENT", "PROJECT"]).optional(),
});

export const DataFilterSchema = z.strictObject({
  developerMetadataLookup: MetadataLookupSchema.optional(),
  a1Range: z.string().optional(),
  gridRange: GridRangeSchema.optional(),
});

export type GridRangeInput = z.infer<typeof GridRangeSchema>;
export type MetadataLocationInput = z.infer<typeof MetadataLocationSchema>;
export type DeveloperMetadataInput = z.infer<typeof DeveloperMetadataSchema>;
export type MetadataLookup = z.infer<typeof MetadataLookupSchema>;
export type DataFilter = z.infer<typeof DataFilterSchema>;

const RenderOptionSchema = z.enum(["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"]);
const InputOptionSchema = z.enum(["RAW", "USER_ENTERED", "INPUT_VALUE_OPTION_UNSPECIFIED"]);
const DateTimeRenderSchema = z.enum(["SERIAL_NUMBER", "FORMATTED_STRING"]);

const responseOptions = {
  includeValuesInResponse: z.boolean().optional(),
  responseValueRenderOption: RenderOptionSchema.optional(),
  responseDateTimeRenderOption: DateTimeRenderSchema.optional(),
};

export const BatchUpdateValuesSchema = z.strictObject({
  valueInputOption: InputOptionSchema.optional(),
  data: z.array(ValueRangeSchema).optional(),
  ...responseOptions,
});

export const BatchClearValuesSchema = z.strictObject({ ranges: z.array(z.string()).optional() });

export const BatchGetByDataFilterSchema = z.strictObject({
  dataFilters: z.array(DataFilterSchema).optional(),
  majorDimension: MajorDimensionSchema.optional(),
  valueRenderOption: RenderOptionSchema.optional(),
  dateTimeRenderOption: DateTimeRenderSchema.optional(),
});

export const BatchUpdateByDataFilterSchema = z.strictObject({
  valueInputOption: InputOptionSchema.optional(),
  data: z
    .array(
      z.strictObject({
        dataFilter: DataFilterSchema,
        majorDimension: MajorDimensionSchema.optional(),
        values: z.array(z.array(z.unknown())).optional(),
      }),
    )
    .optional(),
  ...responseOptions,
});

export const BatchClearByDataFilterSchema = z.strictObject({
  dataFilters: z.array(DataFilterSchema).optional(),
});

export const SearchMetadataSchema = z.strictObject({ dataFilters: z.array(DataFilterSchema).optional() });

export const BatchUpdateSpreadsheetSchema = z.strictObject({
  requests: z.array(z.record(z.string(), z.unknown())).optional(),
  includeSpreadsheetInResponse: z.boolean().optional(),
  responseRanges: z.array(z.string()).optional(),
  responseIncludeGridData: z.boolean().optional(),
});

/** Parses a body, or fails the request the way Google does, naming the field: `requests[0].addSheet`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, at = ""): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [
    at,
    ...(issue?.path ?? []).map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)),
  ]
    .join("")
    .replace(/^\./, "");
  if (issue?.code === "unrecognized_keys") {
    throw invalidArgument(
      `Invalid JSON payload received. Unknown name "${issue.keys[0]}" at '${path}': Cannot find field.`,
    );
  }
  throw invalidArgument(
    `Invalid JSON payload received. Invalid value at '${path}': ${issue?.message ?? "invalid"}`,
  );
}
