// The schema DSL on its own: validation messages, defaults, inferred types, JSON Schema.

import { describe, expect, expectTypeOf, it } from "vitest";
import {
  arr,
  bool,
  either,
  type Infer,
  int,
  lit,
  nullable,
  num,
  obj,
  oneOf,
  optional,
  parseWith,
  record,
  refine,
  str,
  transform,
} from "../../src/scenario/index.js";
import { errorLines } from "./helpers.js";

const F = "t.yaml";
const bad = (schema: Parameters<typeof parseWith>[0], text: string) => errorLines(() => parseWith(schema, text, F));

describe("numbers", () => {
  const s = obj({
    a: num({ min: 0, max: 1 }),
    b: num({ exclusiveMin: 0, exclusiveMax: 10 }),
    c: int({ min: 1 }),
  });
  it("accepts values in range", () => {
    expect(parseWith(s, "a: 0\nb: 9.5\nc: 3", F)).toEqual({ a: 0, b: 9.5, c: 3 });
  });
  it("reports each bound with its value", () => {
    expect(bad(s, "a: -1\nb: 0\nc: 0")).toEqual([
      "t.yaml:1:4 a: must be >= 0, got -1",
      "t.yaml:2:4 b: must be > 0, got 0",
      "t.yaml:3:4 c: must be >= 1, got 0",
    ]);
    expect(bad(s, "a: 2\nb: 10\nc: 1.5")).toEqual([
      "t.yaml:1:4 a: must be <= 1, got 2",
      "t.yaml:2:4 b: must be < 10, got 10",
      "t.yaml:3:4 c: must be an integer, got 1.5",
    ]);
  });
  it("rejects strings, booleans, null and non-finite numbers", () => {
    expect(bad(s, "a: '0.5'\nb: true\nc: .inf")).toEqual([
      't.yaml:1:4 a: must be a number, got "0.5"',
      "t.yaml:2:4 b: must be a number, got true",
      "t.yaml:3:4 c: must be a finite number, got .inf",
    ]);
    expect(bad(s, "a:\nb: 1\nc: 1")).toEqual(["t.yaml:1:3 a: must be a number, got null"]);
  });
});

describe("strings, booleans, literals", () => {
  const s = obj({
    mode: str({ enum: ["fast", "slow"], default: "fast" }),
    id: str({ pattern: /^[a-z]+$/, default: "x" }),
    label: str({ minLength: 1, default: "l" }),
    on: bool({ default: false }),
    exact: optional(lit("yes")),
  });
  it("fills defaults", () => {
    expect(parseWith(s, "{}", F)).toEqual({ mode: "fast", id: "x", label: "l", on: false });
  });
  it("reports enum, pattern, length, type and literal problems", () => {
    expect(bad(s, "mode: slw\nid: A1\nlabel: ''\non: 1\nexact: no")).toEqual([
      't.yaml:1:7 mode: must be one of "fast", "slow", got "slw" (did you mean "slow"?)',
      't.yaml:2:5 id: must match /^[a-z]+$/, got "A1"',
      "t.yaml:3:8 label: must not be empty",
      "t.yaml:4:5 on: must be true or false, got 1",
      't.yaml:5:8 exact: must be "yes", got "no"',
    ]);
  });
});

describe("objects", () => {
  const s = obj({
    req: num(),
    inner: obj({ x: num({ default: 1 }), y: optional(num()) }, { default: {} }),
    opt: optional(str()),
  });
  it("fills nested defaults and leaves absent optionals out", () => {
    const v = parseWith(s, "req: 2", F);
    expect(v).toEqual({ req: 2, inner: { x: 1 } });
    expect("opt" in v).toBe(false);
  });
  it("reports missing keys at the parent mapping and unknown keys at the key", () => {
    expect(bad(s, "inner:\n  z: 1\n  x: 2\nextra: 3")).toEqual([
      "t.yaml:1:1 req: missing required key \"req\"",
      't.yaml:2:3 inner.z: unknown key "z"',
      't.yaml:4:1 extra: unknown key "extra"',
    ]);
  });
  it("rejects a non-mapping", () => {
    expect(bad(s, "- 1")).toEqual(["t.yaml:1:1 must be a mapping, got a list"]);
  });
  it("infers required, defaulted and optional keys", () => {
    type T = Infer<typeof s>;
    expectTypeOf<T>().toEqualTypeOf<{ req: number; inner: { x: number; y?: number | undefined }; opt?: string | undefined }>();
  });
});

describe("lists and records", () => {
  const s = obj({
    xs: arr(int({ min: 0 }), { minItems: 1, maxItems: 3, unique: true }),
    m: record(num(), { keys: /^[a-z]+$/, default: {} }),
  });
  it("validates items with indexed paths", () => {
    expect(parseWith(s, "xs: [1, 2]\nm: {a: 1}", F)).toEqual({ xs: [1, 2], m: { a: 1 } });
    expect(bad(s, "xs: [1, -1, 1]\nm: {a: x, B: 2}")).toEqual([
      "t.yaml:1:9 xs[1]: must be >= 0, got -1",
      "t.yaml:1:13 xs[2]: duplicate of item [0]",
      't.yaml:2:8 m.a: must be a number, got "x"',
      't.yaml:2:11 m.B: key "B" must match /^[a-z]+$/',
    ]);
  });
  it("checks list length", () => {
    expect(bad(s, "xs: []")).toEqual(["t.yaml:1:5 xs: must have at least 1 item, got 0"]);
    expect(bad(s, "xs: [1, 2, 3, 4]")).toEqual(["t.yaml:1:5 xs: must have at most 3 items, got 4"]);
  });
});

describe("oneOf (tagged unions)", () => {
  const shape = oneOf(
    "kind",
    {
      circle: obj({ r: num({ exclusiveMin: 0 }) }),
      rect: obj({ w: num(), h: num({ default: 1 }) }),
    },
    { default: { kind: "circle", r: 1 } },
  );
  const s = obj({ shape });
  it("picks the variant by tag and fills its defaults", () => {
    expect(parseWith(s, "shape: {kind: rect, w: 2}", F)).toEqual({ shape: { kind: "rect", w: 2, h: 1 } });
    expect(parseWith(s, "{}", F)).toEqual({ shape: { kind: "circle", r: 1 } });
  });
  it("reports a missing or unknown tag and keys of another variant", () => {
    expect(bad(s, "shape: {r: 1}")).toEqual([
      't.yaml:1:8 shape.kind: missing required key "kind" (one of "circle", "rect")',
    ]);
    expect(bad(s, "shape: {kind: circel, r: 1}")).toEqual([
      't.yaml:1:15 shape.kind: must be one of "circle", "rect", got "circel" (did you mean "circle"?)',
    ]);
    expect(bad(s, "shape: {kind: circle, r: 1, w: 2}")).toEqual(['t.yaml:1:29 shape.w: unknown key "w"']);
  });
  it("infers a discriminated union", () => {
    expectTypeOf<Infer<typeof shape>>().toEqualTypeOf<{ kind: "circle"; r: number } | { kind: "rect"; w: number; h: number }>();
  });
  it("emits oneOf with const tags", () => {
    const j = shape.toJson();
    expect(j.default).toEqual({ kind: "circle", r: 1 });
    expect(j.oneOf).toEqual([
      { type: "object", properties: { kind: { const: "circle" }, r: { type: "number", exclusiveMinimum: 0 } }, required: ["kind", "r"], additionalProperties: false },
      {
        type: "object",
        properties: { kind: { const: "rect" }, w: { type: "number" }, h: { type: "number", default: 1 } },
        required: ["kind", "w"],
        additionalProperties: false,
      },
    ]);
  });
});

describe("either, nullable, refine, transform", () => {
  const s = obj({
    ids: either([int(), arr(int())], { default: 0 }),
    bw: nullable(num({ exclusiveMin: 0 }), { default: null }),
    range: refine(obj({ lo: num(), hi: num() }), (v, ctx) => {
      if (v.hi < v.lo) ctx.error("hi", `must be >= lo (${v.lo}), got ${v.hi}`);
      if (!ctx.has("lo")) ctx.error("never: lo is required");
    }),
    pct: transform(num({ min: 0, max: 100, default: 50 }), (v) => v / 100),
  });
  it("resolves", () => {
    expect(parseWith(s, "ids: [1, 2]\nrange: {lo: 1, hi: 2}", F)).toEqual({ ids: [1, 2], bw: null, range: { lo: 1, hi: 2 }, pct: 0.5 });
    expect(parseWith(s, "ids: 3\nbw: 5\nrange: {lo: 1, hi: 1}\npct: 20", F)).toEqual({ ids: 3, bw: 5, range: { lo: 1, hi: 1 }, pct: 0.2 });
  });
  it("reports by shape and at refined paths", () => {
    expect(bad(s, "ids: x\nbw: fast\nrange: {lo: 2, hi: 1}")).toEqual([
      't.yaml:1:6 ids: must be an integer or a list, got "x"',
      't.yaml:2:5 bw: must be a number or null, got "fast"',
      "t.yaml:3:20 range.hi: must be >= lo (2), got 1",
    ]);
    expect(bad(s, "ids: [a]\nbw: -1\nrange: {lo: 0, hi: 0}")).toEqual([
      't.yaml:1:7 ids[0]: must be an integer, got "a"',
      "t.yaml:2:5 bw: must be > 0, got -1",
    ]);
  });
  it("infers wrapped types", () => {
    expectTypeOf<Infer<typeof s>>().toEqualTypeOf<{
      ids: number | number[];
      bw: number | null;
      range: { lo: number; hi: number };
      pct: number;
    }>();
  });
  it("emits anyOf for either and nullable", () => {
    const props = s.toJson().properties as Record<string, Record<string, unknown>>;
    expect(props.ids).toEqual({ anyOf: [{ type: "integer" }, { type: "array", items: { type: "integer" } }], default: 0 });
    expect(props.bw).toEqual({ anyOf: [{ type: "number", exclusiveMinimum: 0 }, { type: "null" }], default: null });
    expect(s.toJson().required).toEqual(["range"]);
  });
});
