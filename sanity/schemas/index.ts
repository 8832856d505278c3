import { dbrLead } from "./dbrLead.ts";

/** The schema types to give Studio: `defineConfig({ schema: { types: schemaTypes } })`. */
export const schemaTypes = [dbrLead];
