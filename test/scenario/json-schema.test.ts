// JSON Schema for editors: draft 2020-12, closed objects, descriptions, defaults, enums
// and ranges; the committed schema/scenario.schema.json is current.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { emitJsonSchema, jsonSchemaText, writeJsonSchema } from "../../src/scenario/index.js";

type J = Record<string, unknown>;

/** Every subschema (following properties, items, oneOf/anyOf/allOf), with its JSON pointer. */
function* subschemas(s: J, at = "#"): Generator<[string, J]> {
  yield [at, s];
  for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, J>)) {
    yield* subschemas(v, `${at}/properties/${k}`);
  }
  if (s.items !== undefined) yield* subschemas(s.items as J, `${at}/items`);
  for (const kw of ["oneOf", "anyOf", "allOf"]) {
    const list = (s[kw] ?? []) as J[];
    for (let i = 0; i < list.length; i++) yield* subschemas(list[i]!, `${at}/${kw}/${i}`);
  }
  if (typeof s.additionalProperties === "object") yield* subschemas(s.additionalProperties as J, `${at}/additionalProperties`);
}

const COMMITTED = fileURLToPath(new URL("../../schema/scenario.schema.json", import.meta.url));

describe("JSON Schema", () => {
  const schema = JSON.parse(jsonSchemaText()) as J;

  it("is draft 2020-12 JSON for an object", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["model"]);
  });

  it("closes every object level with additionalProperties: false", () => {
    let objects = 0;
    for (const [at, node] of subschemas(schema)) {
      if (node.type !== "object") continue;
      objects++;
      // Records (maps keyed by the user, e.g. sweep grids) constrain their values instead.
      if (node.properties === undefined && typeof node.additionalProperties === "object") continue;
      expect(node.additionalProperties, at).toBe(false);
    }
    expect(objects).toBeGreaterThan(15);
  });

  it("describes every property", () => {
    let props = 0;
    for (const [at, node] of subschemas(schema)) {
      if (!/\/properties\/[^/]+$/.test(at)) continue;
      props++;
      expect(typeof node.description, at).toBe("string");
    }
    expect(props).toBeGreaterThan(50);
  });

  it("carries defaults, enums, ranges and variants", () => {
    const props = schema.properties as Record<string, J>;
    expect(props.model!.enum).toEqual(["phold", "pbft", "pot"]);
    expect(props.seed).toMatchObject({ type: "integer", minimum: 0, default: 1 });
    expect(props.until).toMatchObject({ type: "number", exclusiveMinimum: 0, default: 60 });
    expect(props.extends).toMatchObject({ type: "string" });
    const net = props.network!.properties as Record<string, J>;
    expect(net.loss).toMatchObject({ type: "number", minimum: 0, maximum: 1, default: 0 });
    expect(net.bandwidth!.default).toBeNull();
    expect(net.latency!.default).toEqual({ model: "constant", value: 0.01 });
    const variants = net.latency!.oneOf as J[];
    expect(variants.map((v) => (v.properties as Record<string, J>).model!.const)).toEqual([
      "constant",
      "uniform",
      "normal",
      "lognormal",
      "pareto",
      "regions",
    ]);
    const normal = variants[2]!;
    expect(normal.required).toEqual(["model", "mean", "stddev"]);
    expect((normal.properties as Record<string, J>).mean).toMatchObject({ exclusiveMinimum: 0 });
  });

  it("is returned as an object too", () => {
    expect(emitJsonSchema()).toEqual(schema);
  });

  it("writes the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "potsim-schema-"));
    try {
      writeJsonSchema(join(dir, "nested", "s.json"));
      expect(readFileSync(join(dir, "nested", "s.json"), "utf8")).toBe(jsonSchemaText());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("schema/scenario.schema.json is up to date (UPDATE_SCHEMA=1 rewrites it)", () => {
    if (process.env.UPDATE_SCHEMA === "1") writeJsonSchema(COMMITTED);
    expect(existsSync(COMMITTED), "schema/scenario.schema.json is missing").toBe(true);
    expect(readFileSync(COMMITTED, "utf8")).toBe(jsonSchemaText());
  });
});
