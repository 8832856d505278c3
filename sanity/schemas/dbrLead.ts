/**
 * The lead document the dashboard reads and calsync writes, for Sanity Studio. It is written in Studio's
 * `defineType`/`defineField` shape without importing the `sanity` package (this repository does not
 * install it): `defineField` below is a local stand-in that, like Studio's, returns its argument, and the
 * types are the small subset of Studio's that this schema uses. Studio accepts `dbrLead` as it is.
 * https://www.sanity.io/docs/studio/schema-types
 *
 * Field names are a contract with the dashboard and with `src/sanity/lead-document.ts`; a test checks that
 * the two agree. Calsync owns every field: edits made in Studio are overwritten by the next sync.
 */

/** The part of Studio's validation `Rule` this schema uses. */
export type SchemaRule = {
  integer(): SchemaRule;
  min(value: number): SchemaRule;
  email(): SchemaRule;
  regex(pattern: RegExp, options?: { name?: string }): SchemaRule;
  warning(message?: string): SchemaRule;
};

export type SchemaField = {
  name: string;
  title: string;
  type: "string" | "number" | "boolean" | "datetime" | "array" | "object";
  description?: string;
  readOnly?: boolean;
  initialValue?: string | number | boolean;
  options?: { list?: { title: string; value: string }[]; layout?: "dropdown" | "radio" };
  validation?: (rule: SchemaRule) => SchemaRule;
  of?: SchemaObjectMember[];
};

/**
 * An object type inside an array. Items carry a `_key`, and `_type` set to `name`; with a single member type
 * per array (as here) Studio also accepts items without `_type`.
 */
export type SchemaObjectMember = {
  type: "object";
  name: string;
  title: string;
  fields: SchemaField[];
  preview?: { select: Record<string, string> };
};

export type SchemaDocumentType<Field extends SchemaField = SchemaField> = {
  name: string;
  title: string;
  type: "document";
  fields: Field[];
  preview?: {
    select: Record<string, string>;
    prepare?: (selection: Record<string, unknown>) => { title: string; subtitle?: string };
  };
  orderings?: { title: string; name: string; by: { field: string; direction: "asc" | "desc" }[] }[];
};

/** Studio's `defineField`, locally: returns the field unchanged, keeping its name as a literal type. */
function defineField<const Name extends string>(
  field: SchemaField & { name: Name },
): SchemaField & { name: Name } {
  return field;
}

const bookingStatuses = [
  { title: "Accepted", value: "accepted" },
  { title: "Pending", value: "pending" },
  { title: "Cancelled", value: "cancelled" },
  { title: "Rejected", value: "rejected" },
];

const booking: SchemaObjectMember = {
  type: "object",
  name: "booking",
  title: "Booking",
  fields: [
    defineField({ name: "uid", title: "Cal.com booking uid", type: "string" }),
    defineField({ name: "start", title: "Start", type: "datetime", description: "ISO 8601, UTC." }),
    defineField({ name: "end", title: "End", type: "datetime", description: "ISO 8601, UTC." }),
    defineField({
      name: "status",
      title: "Status",
      type: "string",
      options: { list: bookingStatuses, layout: "dropdown" },
    }),
    defineField({ name: "eventTypeId", title: "Cal.com event type id", type: "number" }),
    defineField({
      name: "rescheduledFromUid",
      title: "Rescheduled from",
      type: "string",
      description: "The uid of the booking this one replaced, when it came from a reschedule.",
    }),
    defineField({
      name: "rescheduledToUid",
      title: "Rescheduled to",
      type: "string",
      description: "The uid of the booking that replaced this one.",
    }),
  ],
  preview: { select: { title: "start", subtitle: "status" } },
};

const sheetField: SchemaObjectMember = {
  type: "object",
  name: "sheetField",
  title: "Sheet column",
  fields: [
    defineField({ name: "header", title: "Column header", type: "string" }),
    defineField({ name: "value", title: "Value", type: "string" }),
  ],
  preview: { select: { title: "header", subtitle: "value" } },
};

export const dbrLead = {
  name: "dbrLead",
  title: "DBR lead",
  type: "document",
  fields: [
    defineField({ name: "firstName", title: "First name", type: "string", readOnly: true }),
    defineField({ name: "lastName", title: "Last name", type: "string", readOnly: true }),
    defineField({
      name: "phone",
      title: "Phone",
      type: "string",
      description: "E.164, e.g. +447700900123.",
      readOnly: true,
      validation: (rule) => rule.regex(/^\+[1-9]\d{6,14}$/, { name: "E.164 phone number" }).warning(),
    }),
    defineField({
      name: "email",
      title: "Email",
      type: "string",
      readOnly: true,
      validation: (rule) => rule.email().warning(),
    }),
    defineField({
      name: "contactStatus",
      title: "Contact status",
      type: "string",
      description: "The sheet's status column, e.g. CALL_BOOKED.",
      readOnly: true,
    }),
    defineField({
      name: "callBooked",
      title: "Call booked (sheet text)",
      type: "string",
      description: 'The sheet\'s booking column as written there, e.g. "17:00 27/10/2025".',
      readOnly: true,
    }),
    defineField({
      name: "callBookedAt",
      title: "Call booked at",
      type: "datetime",
      description: "The booked call's start, ISO 8601 UTC; empty when no call is booked.",
      readOnly: true,
    }),
    defineField({
      name: "waitingToRebook",
      title: "Waiting to rebook",
      type: "boolean",
      description:
        "The host asked the booker to pick another time (Cal.com's request reschedule) and no new call is booked yet.",
      readOnly: true,
    }),
    defineField({
      name: "sheetRow",
      title: "Sheet row",
      type: "number",
      description:
        "The lead's row number in the sheet when last synced (row 1 is the header); empty when not in the sheet.",
      readOnly: true,
      validation: (rule) => rule.integer().min(2),
    }),
    defineField({
      name: "archived",
      title: "Archived",
      type: "boolean",
      description: "The lead's row is no longer in the sheet.",
      readOnly: true,
      initialValue: false,
    }),
    defineField({
      name: "sheetFields",
      title: "Sheet columns",
      type: "array",
      description: "Every column of the lead's row, in sheet order.",
      readOnly: true,
      of: [sheetField],
    }),
    defineField({
      name: "bookings",
      title: "Bookings",
      type: "array",
      description: "Every Cal.com booking matched to this lead.",
      readOnly: true,
      of: [booking],
    }),
  ],
  preview: {
    select: { firstName: "firstName", lastName: "lastName", status: "contactStatus" },
    prepare: (selection) => ({
      title: [selection.firstName, selection.lastName].filter(Boolean).join(" ") || "(no name)",
      subtitle: typeof selection.status === "string" ? selection.status : "",
    }),
  },
  orderings: [
    { title: "Call booked at", name: "callBookedAtAsc", by: [{ field: "callBookedAt", direction: "asc" }] },
  ],
} satisfies SchemaDocumentType;
