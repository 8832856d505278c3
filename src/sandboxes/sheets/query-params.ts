/**
 * Query parameters of spreadsheets.values.*, refused as Google refuses them: an unknown enum value names
 * the field in snake case and its proto type, e.g.
 * `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "USER_ENTER"`.
 */
import { invalidArgument } from "./api-errors.ts";
import type { ValueInputOption, ValueRenderOption } from "./cell-values.ts";
import type { MajorDimension } from "./value-ranges.ts";

const RENDER_OPTIONS = ["FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA"] as const;
const DIMENSIONS = ["ROWS", "COLUMNS", "DIMENSION_UNSPECIFIED"] as const;
const INPUT_OPTIONS = ["RAW", "USER_ENTERED", "INPUT_VALUE_OPTION_UNSPECIFIED"] as const;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

function enumValue<T extends string>(
  value: string | undefined,
  options: { name: string; type: string; allowed: readonly T[] },
): T | undefined {
  if (value === undefined) return undefined;
  const found = options.allowed.find((allowed) => allowed === value);
  if (found === undefined) {
    throw invalidArgument(
      `Invalid value at '${snakeCase(options.name)}' (type.googleapis.com/google.apps.sheets.v4.${options.type}), "${value}"`,
    );
  }
  return found;
}

export function renderOption(value: string | undefined, name = "valueRenderOption"): ValueRenderOption {
  return enumValue(value, { name, type: "ValueRenderOption", allowed: RENDER_OPTIONS }) ?? "FORMATTED_VALUE";
}

/** DIMENSION_UNSPECIFIED and absence both mean ROWS. */
export function majorDimension(value: string | undefined): MajorDimension {
  const dimension = enumValue(value, { name: "majorDimension", type: "Dimension", allowed: DIMENSIONS });
  return dimension === "COLUMNS" ? "COLUMNS" : "ROWS";
}

/** Required on every write; the real API refuses a write without it rather than guessing. */
export function inputOption(value: string | undefined): ValueInputOption {
  const option = enumValue(value, {
    name: "valueInputOption",
    type: "ValueInputOption",
    allowed: INPUT_OPTIONS,
  });
  if (option === undefined) throw invalidArgument("'valueInputOption' is required but not specified");
  if (option === "INPUT_VALUE_OPTION_UNSPECIFIED")
    throw invalidArgument(`Invalid valueInputOption: ${option}`);
  return option;
}

export function booleanParam(value: string | undefined, name: string): boolean {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  throw invalidArgument(`Invalid value at '${snakeCase(name)}' (TYPE_BOOL), "${value}"`);
}

export function insertDataOption(value: string | undefined): "OVERWRITE" | "INSERT_ROWS" {
  const allowed = ["OVERWRITE", "INSERT_ROWS"] as const;
  return enumValue(value, { name: "insertDataOption", type: "InsertDataOption", allowed }) ?? "OVERWRITE";
}
