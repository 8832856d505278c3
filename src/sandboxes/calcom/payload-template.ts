/**
 * A subscription's `payloadTemplate` applied the way sendPayload.ts applies it: `{{path.to.value}}` filled
 * from `{...payload, triggerEvent, createdAt}`; a template that is JSON is sent as compact JSON, anything
 * else as form data. Only plain `{{path}}` lookups are supported (Cal.com runs full Handlebars); objects
 * render as JSON text.
 */
export function renderPayloadTemplate(
  template: string,
  data: Record<string, unknown>,
): { body: string; contentType: "application/json" | "application/x-www-form-urlencoded" } {
  const rendered = template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, path: string) =>
    textOf(lookup(data, path)),
  );
  if (!isJson(template)) return { body: rendered, contentType: "application/x-www-form-urlencoded" };
  // Cal.com re-serialises the filled template; when filling broke the JSON its jsonParse returns false,
  // and `false` is what it sends.
  return { body: JSON.stringify(parseOrFalse(rendered)), contentType: "application/json" };
}

function lookup(data: unknown, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function isJson(text: string): boolean {
  return parseOrFalse(text) !== false;
}

function parseOrFalse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return false;
  }
}
