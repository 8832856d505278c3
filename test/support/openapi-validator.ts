import { readFileSync } from "node:fs";

/**
 * A small validator for the JSON-schema subset Cal.com's OpenAPI file uses (NestJS Swagger output):
 * $ref, type, nullable, properties, required, items, enum, oneOf/anyOf/allOf, minimum/maximum.
 * `oneOf` is read as `anyOf`: Swagger emits oneOf for unions whose branches overlap (a BookingOutput
 * also satisfies RecurringBookingOutput), so "exactly one" would reject every valid answer.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
};

type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
};

export type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};

/** Where a value broke its schema. `path` is like `data[0].hosts[0].displayEmail`. */
export type SchemaIssue = { path: string; keyword: string; message: string; value?: unknown };

export function loadOpenApi(file: URL): OpenApiDocument {
  return JSON.parse(readFileSync(file, "utf8")) as OpenApiDocument;
}

export type OpenApiValidator = {
  /** Issues of `value` against a component schema name or a schema object; `ignore` drops known deviations. */
  validate(value: unknown, schema: string | JsonSchema): SchemaIssue[];
  operation(method: string, specPath: string): Operation;
  responseSchema(method: string, specPath: string, status: number): JsonSchema;
  requestSchema(method: string, specPath: string): JsonSchema;
  /** The value the spec gives a header parameter of the operation (e.g. `cal-api-version`), if it lists one. */
  headerDefault(method: string, specPath: string, header: string): string | null;
  /** The spec path (`/v2/bookings/{bookingUid}`) a concrete path (`/v2/bookings/abc`) belongs to. */
  specPathOf(method: string, concretePath: string): string | null;
};

export function createOpenApiValidator(
  document: OpenApiDocument,
  ignore: (issue: SchemaIssue) => boolean = () => false,
): OpenApiValidator {
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = document.components.schemas[name];
    if (!target) throw new Error(`The spec has no schema ${name}`);
    return resolve(target);
  };

  const check = (value: unknown, rawSchema: JsonSchema, path: string): SchemaIssue[] => {
    const schema = resolve(rawSchema);
    const issue = (keyword: string, message: string): SchemaIssue[] => {
      const found = { path: path || "(root)", keyword, message, value };
      return ignore(found) ? [] : [found];
    };

    if (schema.allOf) return schema.allOf.flatMap((part) => check(value, part, path));
    const branches = schema.oneOf ?? schema.anyOf;
    if (branches) {
      const results = branches.map((branch) => check(value, branch, path));
      if (results.some((issues) => issues.length === 0)) return [];
      return results.reduce((fewest, issues) => (issues.length < fewest.length ? issues : fewest));
    }
    if (value === null)
      return schema.nullable || schema.type === undefined
        ? []
        : issue("type", `is null, expected ${schema.type}`);
    if (schema.enum && !schema.enum.includes(value)) {
      return issue("enum", `is ${JSON.stringify(value)}, expected one of ${schema.enum.join(", ")}`);
    }
    const typeIssue = checkType(value, schema.type);
    if (typeIssue) return issue("type", typeIssue);

    const issues: SchemaIssue[] = [];
    if (typeof value === "number") {
      if (schema.minimum !== undefined && value < schema.minimum)
        issues.push(...issue("minimum", `is ${value}, below ${schema.minimum}`));
      if (schema.maximum !== undefined && value > schema.maximum)
        issues.push(...issue("maximum", `is ${value}, above ${schema.maximum}`));
    }
    if (Array.isArray(value) && schema.items) {
      const items = schema.items;
      value.forEach((item, index) => {
        issues.push(...check(item, items, `${path}[${index}]`));
      });
    }
    if (isRecord(value) && (schema.properties || schema.required)) {
      for (const name of schema.required ?? []) {
        if (value[name] === undefined) {
          const found = { path: join(path, name), keyword: "required", message: "is required but missing" };
          if (!ignore(found)) issues.push(found);
        }
      }
      for (const [name, propertySchema] of Object.entries(schema.properties ?? {})) {
        if (value[name] !== undefined) issues.push(...check(value[name], propertySchema, join(path, name)));
      }
    }
    return issues;
  };

  const operation = (method: string, specPath: string): Operation => {
    const found = document.paths[specPath]?.[method.toLowerCase()];
    if (!found) throw new Error(`The spec has no ${method} ${specPath}`);
    return found;
  };

  return {
    validate: (value, schema) =>
      check(value, typeof schema === "string" ? { $ref: `#/components/schemas/${schema}` } : schema, ""),
    operation,
    responseSchema(method, specPath, status) {
      const schema = operation(method, specPath).responses?.[String(status)]?.content?.["application/json"]
        ?.schema;
      if (!schema) throw new Error(`The spec documents no ${status} JSON answer for ${method} ${specPath}`);
      return schema;
    },
    requestSchema(method, specPath) {
      const schema = operation(method, specPath).requestBody?.content?.["application/json"]?.schema;
      if (!schema) throw new Error(`The spec documents no JSON body for ${method} ${specPath}`);
      return schema;
    },
    headerDefault(method, specPath, header) {
      const parameter = operation(method, specPath).parameters?.find(
        (candidate) => candidate.in === "header" && candidate.name.toLowerCase() === header.toLowerCase(),
      );
      const fallback = (parameter?.schema as { default?: unknown } | undefined)?.default;
      return typeof fallback === "string" ? fallback : null;
    },
    specPathOf(method, concretePath) {
      const candidates = Object.keys(document.paths).filter(
        (specPath) => document.paths[specPath]?.[method.toLowerCase()],
      );
      // Literal segments beat parameters: `/v2/webhooks` before `/v2/webhooks/{webhookId}`.
      const matching = candidates.filter((specPath) => pathPattern(specPath).test(concretePath));
      matching.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
      return matching[0] ?? null;
    },
  };
}

function checkType(value: unknown, type: string | undefined): string | null {
  switch (type) {
    case undefined:
      return null;
    case "string":
      return typeof value === "string" ? null : `is ${describe(value)}, expected a string`;
    case "number":
      return typeof value === "number" ? null : `is ${describe(value)}, expected a number`;
    case "integer":
      return Number.isInteger(value) ? null : `is ${describe(value)}, expected an integer`;
    case "boolean":
      return typeof value === "boolean" ? null : `is ${describe(value)}, expected a boolean`;
    case "array":
      return Array.isArray(value) ? null : `is ${describe(value)}, expected an array`;
    case "object":
      return isRecord(value) ? null : `is ${describe(value)}, expected an object`;
    default:
      return null;
  }
}

function pathPattern(specPath: string): RegExp {
  const escaped = specPath.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+");
  return new RegExp(`^${escaped}$`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : typeof value;
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
