// Entry points: load a scenario file (extends, overrides, validation, defaults) and check
// many files at once. Every problem found is reported together.
// May import: ./definition.js, ./issues.js, ./json-schema.js, ./overrides.js, ./resolve.js,
// ./schema.js, ./source.js, ./yaml-source.js. (Reading, overriding and validating are separate steps; these wire them up
// with the scenario definition.)

import { type ResolvedScenario, scenarioSchema } from "./definition.js";
import { Issues, orderIssues, type ScenarioIssue } from "./issues.js";
import { applyOverridesInto, applyOverrides as applyOverridesWith } from "./overrides.js";
import { type Fields, INVALID, type ObjSchema, unwrap } from "./schema.js";
import { parseYaml } from "./yaml-source.js";
import { resolveInto } from "./resolve.js";
import { parseSourceText, readInto, readSourceDoc, type SourceDoc, type SourceOpts } from "./source.js";

export { emitJsonSchema, jsonSchemaText, writeJsonSchema } from "./json-schema.js";

export interface LoadOpts {
  /** `key.path=value` strings, applied in order after `extends` merging. */
  readonly overrides?: readonly string[];
  readonly readFile?: SourceOpts["readFile"];
}

/** Reads, merges, overrides, validates and defaults one scenario. Throws ScenarioError. */
export function loadScenario(path: string, opts: LoadOpts = {}): ResolvedScenario {
  const issues = new Issues();
  const out = loadInto(path, opts, issues);
  issues.throwIfAny();
  return out!;
}

/**
 * Reads a scenario file and its `extends` chain into one unvalidated document (for
 * applying many override sets to one base, as sweeps do). Throws ScenarioError.
 */
export function readScenarioDoc(path: string, opts: Pick<LoadOpts, "readFile"> = {}): SourceDoc {
  return readSourceDoc(path, sourceOpts(opts));
}

/** Like readScenarioDoc for text in hand, named `file` in errors; `extends` is relative to it. */
export function parseScenarioText(text: string, file: string, opts: Pick<LoadOpts, "readFile"> = {}): SourceDoc {
  return parseSourceText(text, file, sourceOpts(opts));
}

/** Applies `key.path=value` overrides to a document (absent mappings start from their defaults). Throws ScenarioError. */
export function applyOverrides(doc: SourceDoc, sets: readonly string[]): SourceDoc {
  return applyOverridesWith(doc, sets, scenarioSchema);
}

/** Top-level scenario keys a command line can also give (`--seed`, `--until`). */
export type CommandLineKey = "seed" | "until";

/**
 * Checks values given on the command line for top-level keys with exactly the YAML rules: the text
 * is read as a YAML scalar and checked by that key's schema. Problems are located at the flag
 * (`--until:1:1 until: must be > 0, got -5`). Throws ScenarioError.
 */
export function checkCommandLineValues(values: Partial<Record<CommandLineKey, string>>): Partial<Record<CommandLineKey, number>> {
  const issues = new Issues();
  const out: Partial<Record<CommandLineKey, number>> = {};
  const fields = (unwrap(scenarioSchema) as ObjSchema<Fields>).fields;
  for (const key of ["seed", "until"] as const) {
    const text = values[key];
    if (text === undefined) continue;
    const flag = `--${key}`;
    const node = parseYaml(text, flag, issues, { line: 1 });
    if (node === undefined) continue;
    const v = fields[key]!.check(node ?? { kind: "scalar", loc: { file: flag, line: 1, col: 1 }, value: null }, [key], issues);
    if (v !== INVALID) out[key] = v as unknown as number;
  }
  issues.throwIfAny();
  return out;
}

/** Every problem in every file (empty when all are valid). */
export function validateFiles(paths: readonly string[], opts: LoadOpts = {}): ScenarioIssue[] {
  const all: ScenarioIssue[] = [];
  for (const p of paths) {
    const issues = new Issues();
    loadInto(p, opts, issues);
    all.push(...orderIssues(issues.list));
  }
  return all;
}

function loadInto(path: string, opts: LoadOpts, issues: Issues): ResolvedScenario | undefined {
  let root = readInto(path, issues, sourceOpts(opts));
  if (root === undefined) return undefined;
  if (opts.overrides !== undefined && opts.overrides.length > 0) root = applyOverridesInto(root, opts.overrides, issues, scenarioSchema);
  return resolveInto({ file: path, root }, issues);
}

function sourceOpts(opts: Pick<LoadOpts, "readFile">): SourceOpts {
  return { schema: scenarioSchema, ...(opts.readFile ? { readFile: opts.readFile } : {}) };
}
