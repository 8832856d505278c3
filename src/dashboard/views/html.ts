import { html as honoHtml, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** Markup that is already escaped: made by `html` below, never from outside text. */
export type Html = HtmlEscapedString;
export type HtmlValue = string | number | boolean | null | undefined | Html | readonly HtmlValue[];

/**
 * hono/html's tag, restricted to synchronous values: every interpolated string is HTML-escaped, arrays
 * are joined, and nested `html` results are kept as they are. With no promises among the values the tag
 * returns its result at once, which is what the narrower signature states.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  return honoHtml(strings, ...values) as Html;
}

/** For the stylesheet only: constant text from this repository, never data. */
export const trusted = (text: string): Html => raw(text);
