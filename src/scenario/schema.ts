// A small schema DSL. One definition gives: validation of a located YAML tree (unknown keys,
// types, ranges, required keys, custom cross-field checks), the fully defaulted output value,
// the TypeScript type of that value (`Infer<typeof s>`), and JSON Schema (draft 2020-12).
// Owns: the schema classes and their builders. May import: ./context.js, ./issues.js,
// ./located.js, ./path.js, ./suggest.js.

import { RefineContext, type RefineCtx } from "./context.js";
import type { Issues } from "./issues.js";
import { describeNode, fromPlain, type LMap, type LNode, setOwn } from "./located.js";
import type { Path } from "./path.js";
import { didYouMean } from "./suggest.js";

export type { RefineCtx } from "./context.js";

/** Returned by `check` when the value had errors (they are already recorded). */
export const INVALID: unique symbol = Symbol("invalid");
export type Invalid = typeof INVALID;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };
export type JsonSchema = { [k: string]: JsonValue };

export interface CheckOpts {
  /** Keys an object accepts without declaring them (the tag key of a `oneOf`). */
  readonly ignoreKeys?: readonly string[];
}

export interface JsonOpts {
  /** Adds a `const` tag property (used by `oneOf` variants). */
  readonly tag?: { readonly key: string; readonly value: string; readonly description?: string };
}

export interface Meta {
  readonly description?: string | undefined;
  /** Present when the schema has a default (which may itself be null). */
  readonly dflt?: { readonly value: unknown } | undefined;
}

function metaOf(opts: { description?: string | undefined; default?: unknown }): Meta {
  return {
    description: opts.description,
    dflt: opts.default === undefined ? undefined : { value: opts.default },
  };
}

export abstract class Schema<T> {
  /** Phantom: the output type. Never set at run time. */
  declare readonly _type: T;
  protected readonly meta: Meta;

  protected constructor(meta: Meta) {
    this.meta = meta;
  }

  /** Validates `node`, records problems in `issues`, returns the defaulted value or INVALID. */
  abstract check(node: LNode, path: Path, issues: Issues, opts?: CheckOpts): T | Invalid;
  /** JSON Schema (2020-12) for this schema. */
  abstract toJson(opts?: JsonOpts): JsonSchema;
  /** What is accepted, in words: `a number`, `a mapping`. */
  abstract expected(): string;
  /** Whether the node has the right shape to be checked by this schema (used by `either`). */
  abstract accepts(node: LNode): boolean;

  description(): string | undefined {
    return this.meta.description;
  }

  /** The value to use when the key is absent, if any. */
  defaultValue(): { readonly value: unknown } | undefined {
    return this.meta.dflt;
  }

  protected withMeta(json: JsonSchema): JsonSchema {
    const out: JsonSchema = {};
    const d = this.description();
    if (d !== undefined) out.description = d;
    Object.assign(out, json);
    const dv = this.defaultValue();
    if (dv !== undefined) out.default = dv.value as JsonValue;
    return out;
  }

  protected typeError(node: LNode, path: Path, issues: Issues): Invalid {
    issues.add(node.loc, path, `must be ${this.expected()}, got ${describeNode(node)}`);
    return INVALID;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the widest schema, for generic constraints
export type AnySchema = Schema<any>;
export type Infer<S> = S extends Schema<infer T> ? T : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

// ---------------------------------------------------------------------------------- numbers

export interface NumOpts {
  readonly min?: number;
  readonly max?: number;
  readonly exclusiveMin?: number;
  readonly exclusiveMax?: number;
  readonly integer?: boolean;
  readonly default?: number;
  readonly description?: string;
}

export class NumSchema extends Schema<number> {
  constructor(readonly opts: NumOpts) {
    super(metaOf(opts));
  }

  expected(): string {
    return this.opts.integer ? "an integer" : "a number";
  }

  accepts(node: LNode): boolean {
    return node.kind === "scalar" && typeof node.value === "number";
  }

  check(node: LNode, path: Path, issues: Issues): number | Invalid {
    if (node.kind !== "scalar" || typeof node.value !== "number") return this.typeError(node, path, issues);
    const v = node.value;
    const got = describeNode(node);
    const o = this.opts;
    let problem: string | undefined;
    if (!Number.isFinite(v)) problem = `must be a finite number, got ${got}`;
    else if (o.integer && !Number.isSafeInteger(v)) problem = `must be an integer, got ${got}`;
    else if (o.min !== undefined && v < o.min) problem = `must be >= ${o.min}, got ${got}`;
    else if (o.exclusiveMin !== undefined && v <= o.exclusiveMin) problem = `must be > ${o.exclusiveMin}, got ${got}`;
    else if (o.max !== undefined && v > o.max) problem = `must be <= ${o.max}, got ${got}`;
    else if (o.exclusiveMax !== undefined && v >= o.exclusiveMax) problem = `must be < ${o.exclusiveMax}, got ${got}`;
    if (problem === undefined) return v;
    issues.add(node.loc, path, problem);
    return INVALID;
  }

  toJson(): JsonSchema {
    const o = this.opts;
    const j: JsonSchema = { type: o.integer ? "integer" : "number" };
    if (o.min !== undefined) j.minimum = o.min;
    if (o.exclusiveMin !== undefined) j.exclusiveMinimum = o.exclusiveMin;
    if (o.max !== undefined) j.maximum = o.max;
    if (o.exclusiveMax !== undefined) j.exclusiveMaximum = o.exclusiveMax;
    return this.withMeta(j);
  }
}

// ---------------------------------------------------------------------------------- strings

export interface StrOpts {
  readonly enum?: readonly string[];
  readonly pattern?: RegExp;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Shown instead of the pattern's source in messages, e.g. `letters, digits, ".", "_" and "-"`. */
  readonly patternText?: string;
  readonly default?: string;
  readonly description?: string;
}

export class StrSchema<T extends string = string> extends Schema<T> {
  constructor(readonly opts: StrOpts) {
    super(metaOf(opts));
  }

  expected(): string {
    const e = this.opts.enum;
    if (e === undefined) return "a string";
    const list = e.map((x) => JSON.stringify(x)).join(", ");
    return e.length === 1 ? list : `one of ${list}`;
  }

  accepts(node: LNode): boolean {
    return node.kind === "scalar" && typeof node.value === "string";
  }

  check(node: LNode, path: Path, issues: Issues): T | Invalid {
    if (node.kind !== "scalar" || typeof node.value !== "string") return this.typeError(node, path, issues);
    const v = node.value;
    const o = this.opts;
    let problem: string | undefined;
    if (o.enum !== undefined && !o.enum.includes(v)) {
      problem = `must be ${this.expected()}, got ${describeNode(node)}${didYouMean(v, o.enum)}`;
    } else if (o.minLength !== undefined && v.length < o.minLength) {
      problem = o.minLength === 1 ? "must not be empty" : `must be at least ${o.minLength} characters long`;
    } else if (o.maxLength !== undefined && v.length > o.maxLength) {
      problem = `must be at most ${o.maxLength} characters long, got ${v.length}`;
    } else if (o.pattern !== undefined && !o.pattern.test(v)) {
      problem = `must ${o.patternText ?? `match /${o.pattern.source}/`}, got ${describeNode(node)}`;
    }
    if (problem === undefined) return v as T;
    issues.add(node.loc, path, problem);
    return INVALID;
  }

  toJson(): JsonSchema {
    const o = this.opts;
    const j: JsonSchema = { type: "string" };
    if (o.enum !== undefined) j.enum = [...o.enum];
    if (o.pattern !== undefined) j.pattern = o.pattern.source;
    if (o.minLength !== undefined) j.minLength = o.minLength;
    if (o.maxLength !== undefined) j.maxLength = o.maxLength;
    return this.withMeta(j);
  }
}

// --------------------------------------------------------------------------------- booleans

export class BoolSchema extends Schema<boolean> {
  constructor(opts: { readonly default?: boolean; readonly description?: string }) {
    super(metaOf(opts));
  }

  expected(): string {
    return "true or false";
  }

  accepts(node: LNode): boolean {
    return node.kind === "scalar" && typeof node.value === "boolean";
  }

  check(node: LNode, path: Path, issues: Issues): boolean | Invalid {
    if (!this.accepts(node) || node.kind !== "scalar") return this.typeError(node, path, issues);
    return node.value as boolean;
  }

  toJson(): JsonSchema {
    return this.withMeta({ type: "boolean" });
  }
}

// ----------------------------------------------------------------------------------- arrays

export interface ArrOpts {
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Items must be pairwise distinct (compared by value). */
  readonly unique?: boolean;
  readonly default?: readonly unknown[];
  readonly description?: string;
}

export class ArrSchema<S extends AnySchema> extends Schema<Infer<S>[]> {
  constructor(
    readonly item: S,
    readonly opts: ArrOpts,
  ) {
    super(metaOf(opts));
  }

  expected(): string {
    return "a list";
  }

  accepts(node: LNode): boolean {
    return node.kind === "seq";
  }

  check(node: LNode, path: Path, issues: Issues): Infer<S>[] | Invalid {
    if (node.kind !== "seq") return this.typeError(node, path, issues);
    const o = this.opts;
    const n = node.items.length;
    let ok = true;
    if (o.minItems !== undefined && n < o.minItems) {
      issues.add(node.loc, path, `must have at least ${plural(o.minItems, "item")}, got ${n}`);
      ok = false;
    }
    if (o.maxItems !== undefined && n > o.maxItems) {
      issues.add(node.loc, path, `must have at most ${plural(o.maxItems, "item")}, got ${n}`);
      ok = false;
    }
    const out: Infer<S>[] = [];
    const seen = new Map<string, number>();
    node.items.forEach((child, i) => {
      const v = this.item.check(child, [...path, i], issues);
      if (v === INVALID) {
        ok = false;
        return;
      }
      if (o.unique) {
        const key = JSON.stringify(v);
        const first = seen.get(key);
        if (first !== undefined) {
          issues.add(child.loc, [...path, i], `duplicate of item [${first}]`);
          ok = false;
        } else seen.set(key, i);
      }
      out.push(v as Infer<S>);
    });
    return ok ? out : INVALID;
  }

  toJson(): JsonSchema {
    const o = this.opts;
    const j: JsonSchema = { type: "array", items: this.item.toJson() };
    if (o.minItems !== undefined) j.minItems = o.minItems;
    if (o.maxItems !== undefined) j.maxItems = o.maxItems;
    if (o.unique) j.uniqueItems = true;
    return this.withMeta(j);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------------- objects

export type Fields = { readonly [key: string]: AnySchema };
type OptionalKeys<F> = { [K in keyof F]: F[K] extends OptionalSchema<AnySchema> ? K : never }[keyof F];
export type ObjOut<F extends Fields> = Simplify<
  { -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
    -readonly [K in OptionalKeys<F>]?: Infer<F[K]>;
  }
>;

export interface ObjOpts {
  /** Use `{}` to make an absent object fall back to all of its fields' defaults. */
  readonly default?: Readonly<Record<string, unknown>>;
  readonly description?: string;
}

export class ObjSchema<F extends Fields> extends Schema<ObjOut<F>> {
  constructor(
    readonly fields: F,
    opts: ObjOpts,
  ) {
    super(metaOf(opts));
  }

  expected(): string {
    return "a mapping";
  }

  accepts(node: LNode): boolean {
    return node.kind === "map";
  }

  check(node: LNode, path: Path, issues: Issues, opts?: CheckOpts): ObjOut<F> | Invalid {
    if (node.kind !== "map") return this.typeError(node, path, issues);
    const ignore = opts?.ignoreKeys ?? [];
    const names = Object.keys(this.fields);
    let ok = true;
    for (const [key, entry] of node.entries) {
      if (Object.hasOwn(this.fields, key) || ignore.includes(key)) continue;
      issues.add(entry.keyLoc, [...path, key], `unknown key ${JSON.stringify(key)}${didYouMean(key, names)}`);
      ok = false;
    }
    const out: Record<string, unknown> = {};
    for (const key of names) {
      const field = this.fields[key]!;
      const child = fieldNode(node, key, field);
      if (child === undefined) {
        if (field instanceof OptionalSchema) continue;
        issues.add(node.loc, [...path, key], `missing required key ${JSON.stringify(key)}`);
        ok = false;
        continue;
      }
      const v = field.check(child, [...path, key], issues);
      if (v === INVALID) ok = false;
      else out[key] = v;
    }
    return ok ? (out as ObjOut<F>) : INVALID;
  }

  toJson(opts?: JsonOpts): JsonSchema {
    const properties: JsonSchema = {};
    const required: string[] = [];
    const tag = opts?.tag;
    if (tag !== undefined) {
      properties[tag.key] =
        tag.description === undefined ? { const: tag.value } : { description: tag.description, const: tag.value };
      required.push(tag.key);
    }
    for (const [key, field] of Object.entries(this.fields)) {
      properties[key] = field.toJson();
      if (!(field instanceof OptionalSchema) && field.defaultValue() === undefined) required.push(key);
    }
    const j: JsonSchema = { type: "object", properties };
    if (required.length > 0) j.required = required;
    j.additionalProperties = false;
    return this.withMeta(j);
  }
}

/** The node for a field: the written one, or one made from the field's default, or undefined. */
function fieldNode(map: LMap, key: string, field: AnySchema): LNode | undefined {
  const entry = map.entries.get(key);
  if (entry !== undefined) return entry.value;
  const d = field.defaultValue();
  return d === undefined ? undefined : fromPlain(d.value, map.loc);
}

// ---------------------------------------------------------------------------------- records

export interface RecordOpts {
  /** Every key must match this pattern. */
  readonly keys?: RegExp;
  readonly default?: Readonly<Record<string, unknown>>;
  readonly description?: string;
}

export class RecordSchema<S extends AnySchema> extends Schema<Record<string, Infer<S>>> {
  constructor(
    readonly value: S,
    readonly opts: RecordOpts,
  ) {
    super(metaOf(opts));
  }

  expected(): string {
    return "a mapping";
  }

  accepts(node: LNode): boolean {
    return node.kind === "map";
  }

  check(node: LNode, path: Path, issues: Issues): Record<string, Infer<S>> | Invalid {
    if (node.kind !== "map") return this.typeError(node, path, issues);
    let ok = true;
    const out: Record<string, Infer<S>> = {};
    for (const [key, entry] of node.entries) {
      if (this.opts.keys !== undefined && !this.opts.keys.test(key)) {
        issues.add(entry.keyLoc, [...path, key], `key ${JSON.stringify(key)} must match /${this.opts.keys.source}/`);
        ok = false;
        continue;
      }
      const v = this.value.check(entry.value, [...path, key], issues);
      if (v === INVALID) ok = false;
      else setOwn(out, key, v);
    }
    return ok ? out : INVALID;
  }

  toJson(): JsonSchema {
    const j: JsonSchema = { type: "object" };
    if (this.opts.keys !== undefined) j.propertyNames = { pattern: this.opts.keys.source };
    j.additionalProperties = this.value.toJson();
    return this.withMeta(j);
  }
}

// ------------------------------------------------------------------- discriminated unions

export type OneOfOut<Tag extends string, V extends Record<string, AnySchema>> = {
  [K in keyof V & string]: Simplify<{ -readonly [P in Tag]: K } & Infer<V[K]>>;
}[keyof V & string];

export interface OneOfOpts {
  readonly default?: Readonly<Record<string, unknown>>;
  readonly description?: string;
  /** Description of the tag key in JSON Schema. */
  readonly tagDescription?: string;
}

export class OneOfSchema<Tag extends string, V extends Record<string, AnySchema>> extends Schema<OneOfOut<Tag, V>> {
  constructor(
    readonly tag: Tag,
    readonly variants: V,
    readonly opts: OneOfOpts,
  ) {
    super(metaOf(opts));
  }

  expected(): string {
    return "a mapping";
  }

  accepts(node: LNode): boolean {
    return node.kind === "map";
  }

  check(node: LNode, path: Path, issues: Issues): OneOfOut<Tag, V> | Invalid {
    if (node.kind !== "map") return this.typeError(node, path, issues);
    const names = Object.keys(this.variants);
    const choices = names.map((n) => JSON.stringify(n)).join(", ");
    const tagPath = [...path, this.tag];
    const entry = node.entries.get(this.tag);
    if (entry === undefined) {
      issues.add(node.loc, tagPath, `missing required key ${JSON.stringify(this.tag)} (one of ${choices})`);
      return INVALID;
    }
    const t = entry.value;
    if (t.kind !== "scalar" || typeof t.value !== "string" || !Object.hasOwn(this.variants, t.value)) {
      const hint = t.kind === "scalar" && typeof t.value === "string" ? didYouMean(t.value, names) : "";
      issues.add(t.loc, tagPath, `must be one of ${choices}, got ${describeNode(t)}${hint}`);
      return INVALID;
    }
    const v = this.variants[t.value]!.check(node, path, issues, { ignoreKeys: [this.tag] });
    if (v === INVALID) return INVALID;
    return { [this.tag]: t.value, ...(v as object) } as OneOfOut<Tag, V>;
  }

  toJson(): JsonSchema {
    const oneOf = Object.entries(this.variants).map(([value, s]) =>
      s.toJson({ tag: { key: this.tag, value, description: this.opts.tagDescription } }),
    );
    return this.withMeta({ oneOf });
  }
}

// ------------------------------------------------------------------- untagged alternatives

export interface EitherOpts {
  readonly default?: unknown;
  readonly description?: string;
}

export class EitherSchema<A extends readonly AnySchema[]> extends Schema<Infer<A[number]>> {
  constructor(
    readonly options: A,
    opts: EitherOpts,
  ) {
    super(metaOf(opts));
  }

  expected(): string {
    return this.options.map((o) => o.expected()).join(" or ");
  }

  accepts(node: LNode): boolean {
    return this.options.some((o) => o.accepts(node));
  }

  check(node: LNode, path: Path, issues: Issues): Infer<A[number]> | Invalid {
    const fits = this.options.filter((o) => o.accepts(node));
    if (fits.length === 0) return this.typeError(node, path, issues);
    // Several alternatives fit the shape: the first that checks cleanly wins; otherwise
    // the first one's errors are reported.
    if (fits.length > 1) {
      for (const o of fits) {
        const scratch = issues.fork();
        const v = o.check(node, path, scratch);
        if (v !== INVALID && scratch.count === 0) return v;
      }
    }
    return fits[0]!.check(node, path, issues);
  }

  toJson(): JsonSchema {
    return this.withMeta({ anyOf: this.options.map((o) => o.toJson()) });
  }
}

// ----------------------------------------------------------------------------- wrappers

export class OptionalSchema<S extends AnySchema> extends Schema<Infer<S> | undefined> {
  readonly optional = true as const;

  constructor(
    readonly inner: S,
    opts: { readonly description?: string },
  ) {
    super(metaOf(opts));
  }

  override description(): string | undefined {
    return this.meta.description ?? this.inner.description();
  }

  override defaultValue(): undefined {
    return undefined;
  }

  expected(): string {
    return this.inner.expected();
  }

  accepts(node: LNode): boolean {
    return this.inner.accepts(node);
  }

  check(node: LNode, path: Path, issues: Issues, opts?: CheckOpts): Infer<S> | Invalid {
    return this.inner.check(node, path, issues, opts);
  }

  toJson(opts?: JsonOpts): JsonSchema {
    const j = this.inner.toJson(opts);
    return this.meta.description === undefined ? j : { ...j, description: this.meta.description };
  }
}

export class NullableSchema<S extends AnySchema> extends Schema<Infer<S> | null> {
  constructor(
    readonly inner: S,
    opts: { readonly default?: unknown; readonly description?: string },
  ) {
    super(metaOf(opts));
  }

  override description(): string | undefined {
    return this.meta.description ?? this.inner.description();
  }

  override defaultValue(): { readonly value: unknown } | undefined {
    return this.meta.dflt ?? this.inner.defaultValue();
  }

  expected(): string {
    return `${this.inner.expected()} or null`;
  }

  accepts(node: LNode): boolean {
    return isNull(node) || this.inner.accepts(node);
  }

  check(node: LNode, path: Path, issues: Issues, opts?: CheckOpts): Infer<S> | null | Invalid {
    if (isNull(node)) return null;
    if (!this.inner.accepts(node)) return this.typeError(node, path, issues);
    return this.inner.check(node, path, issues, opts);
  }

  toJson(): JsonSchema {
    return this.withMeta({ anyOf: [this.inner.toJson(), { type: "null" }] });
  }
}

function isNull(node: LNode): boolean {
  return node.kind === "scalar" && node.value === null;
}

export type Refinement<T> = (value: T, ctx: RefineCtx) => void;

export class RefineSchema<S extends AnySchema> extends Schema<Infer<S>> {
  constructor(
    readonly inner: S,
    readonly fn: Refinement<Infer<S>>,
    readonly json: JsonSchema | undefined,
  ) {
    super({});
  }

  override description(): string | undefined {
    return this.inner.description();
  }

  override defaultValue(): { readonly value: unknown } | undefined {
    return this.inner.defaultValue();
  }

  expected(): string {
    return this.inner.expected();
  }

  accepts(node: LNode): boolean {
    return this.inner.accepts(node);
  }

  check(node: LNode, path: Path, issues: Issues, opts?: CheckOpts): Infer<S> | Invalid {
    const v = this.inner.check(node, path, issues, opts);
    if (v === INVALID) return INVALID;
    const before = issues.count;
    this.fn(v as Infer<S>, new RefineContext(issues, node, path));
    return issues.count > before ? INVALID : (v as Infer<S>);
  }

  toJson(opts?: JsonOpts): JsonSchema {
    const j = this.inner.toJson(opts);
    return this.json === undefined ? j : { ...j, ...this.json };
  }
}

export class TransformSchema<S extends AnySchema, U> extends Schema<U> {
  constructor(
    readonly inner: S,
    readonly fn: (value: Infer<S>) => U,
  ) {
    super({});
  }

  override description(): string | undefined {
    return this.inner.description();
  }

  override defaultValue(): { readonly value: unknown } | undefined {
    return this.inner.defaultValue();
  }

  expected(): string {
    return this.inner.expected();
  }

  accepts(node: LNode): boolean {
    return this.inner.accepts(node);
  }

  check(node: LNode, path: Path, issues: Issues, opts?: CheckOpts): U | Invalid {
    const v = this.inner.check(node, path, issues, opts);
    return v === INVALID ? INVALID : this.fn(v as Infer<S>);
  }

  toJson(opts?: JsonOpts): JsonSchema {
    return this.inner.toJson(opts);
  }
}

/** Strips wrappers (optional, nullable, refine, transform) to reach the structural schema. */
export function unwrap(s: AnySchema): AnySchema {
  let cur = s;
  while (
    cur instanceof OptionalSchema ||
    cur instanceof NullableSchema ||
    cur instanceof RefineSchema ||
    cur instanceof TransformSchema
  ) {
    cur = cur.inner;
  }
  return cur;
}

// ---------------------------------------------------------------------------------- builders

export function num(opts: NumOpts = {}): NumSchema {
  return new NumSchema(opts);
}

export function int(opts: Omit<NumOpts, "integer"> = {}): NumSchema {
  return new NumSchema({ ...opts, integer: true });
}

export function str<const E extends readonly [string, ...string[]]>(
  opts: StrOpts & { readonly enum: E; readonly default?: E[number] },
): StrSchema<E[number]>;
export function str(opts?: StrOpts): StrSchema<string>;
export function str(opts: StrOpts = {}): StrSchema<string> {
  return new StrSchema(opts);
}

/** A string that must be exactly `value`. */
export function lit<const V extends string>(value: V, opts: { readonly description?: string } = {}): StrSchema<V> {
  return new StrSchema<V>({ ...opts, enum: [value] });
}

export function bool(opts: { readonly default?: boolean; readonly description?: string } = {}): BoolSchema {
  return new BoolSchema(opts);
}

export function arr<S extends AnySchema>(item: S, opts: ArrOpts = {}): ArrSchema<S> {
  return new ArrSchema(item, opts);
}

export function obj<F extends Fields>(fields: F, opts: ObjOpts = {}): ObjSchema<F> {
  return new ObjSchema(fields, opts);
}

export function record<S extends AnySchema>(value: S, opts: RecordOpts = {}): RecordSchema<S> {
  return new RecordSchema(value, opts);
}

/** A mapping whose `tag` key picks the variant: `oneOf("model", { constant: obj({...}), ... })`. */
export function oneOf<const Tag extends string, V extends Record<string, AnySchema>>(
  tag: Tag,
  variants: V,
  opts: OneOfOpts = {},
): OneOfSchema<Tag, V> {
  return new OneOfSchema(tag, variants, opts);
}

/** Any of several schemas, chosen by the shape of the value (scalar kind, list, mapping). */
export function either<const A extends readonly AnySchema[]>(options: A, opts: EitherOpts = {}): EitherSchema<A> {
  return new EitherSchema(options, opts);
}

/** The key may be absent; the output then lacks it. */
export function optional<S extends AnySchema>(s: S, opts: { readonly description?: string } = {}): OptionalSchema<S> {
  return new OptionalSchema(s, opts);
}

/** `null` is also accepted (and is a common default: `nullable(x, { default: null })`). */
export function nullable<S extends AnySchema>(
  s: S,
  opts: { readonly default?: Infer<S> | null; readonly description?: string } = {},
): NullableSchema<S> {
  return new NullableSchema(s, opts);
}

/**
 * A custom check run on the (valid, defaulted) value; report problems with
 * `ctx.error(relativePath, message)`. `json` is merged into the emitted JSON Schema.
 */
export function refine<S extends AnySchema>(
  s: S,
  fn: Refinement<Infer<S>>,
  opts: { readonly json?: JsonSchema } = {},
): RefineSchema<S> {
  return new RefineSchema(s, fn, opts.json);
}

/** Maps the valid value to another shape (e.g. normalising alternative spellings). */
export function transform<S extends AnySchema, U>(s: S, fn: (value: Infer<S>) => U): TransformSchema<S, U> {
  return new TransformSchema(s, fn);
}
