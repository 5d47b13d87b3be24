// JSON Schema (draft 2020-12) for scenario files, for editors and external tools.
// Owns: the file-level schema (the definition plus `extends`) and writing it.
// May import: node:fs, node:path, ./definition.js, ./schema.js.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { scenarioSchema } from "./definition.js";
import type { JsonSchema } from "./schema.js";

export function emitJsonSchema(): JsonSchema {
  const body = scenarioSchema.toJson();
  const properties = body.properties as JsonSchema;
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "potsim scenario",
    ...body,
    properties: {
      extends: {
        description: "Path of a base scenario, relative to this file. Mappings merge (this file wins); lists are replaced.",
        type: "string",
        minLength: 1,
      },
      ...properties,
    },
  };
}

/** The schema as the text written to schema/scenario.schema.json. */
export function jsonSchemaText(): string {
  return `${JSON.stringify(emitJsonSchema(), null, 2)}\n`;
}

export function writeJsonSchema(targetPath: string): void {
  mkdirSync(dirname(targetPath), { recursive: true });
  writeFileSync(targetPath, jsonSchemaText());
}
