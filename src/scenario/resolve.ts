// Validation of a merged scenario tree against the definition, giving the resolved scenario.
// Owns: name defaulting (file basename) and running the schema. May import: node:path,
// ./definition.js, ./issues.js, ./located.js, ./schema.js, ./source.js.

import { basename } from "node:path";
import { type ResolvedScenario, scenarioSchema } from "./definition.js";
import { Issues } from "./issues.js";
import type { LEntry, LNode } from "./located.js";
import { INVALID } from "./schema.js";
import type { SourceDoc } from "./source.js";

/** `scenarios/pbft-4.yaml` → `pbft-4`. */
export function scenarioNameOf(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, "");
}

/** Validates and defaults a document. Throws ScenarioError listing every problem. */
export function resolveScenario(doc: SourceDoc): ResolvedScenario {
  const issues = new Issues();
  const out = resolveInto(doc, issues);
  issues.throwIfAny();
  return out!;
}

/** Collecting variant: problems go to `issues`; undefined when there were any. */
export function resolveInto(doc: SourceDoc, issues: Issues): ResolvedScenario | undefined {
  const before = issues.count;
  const v = scenarioSchema.check(withName(doc.root, scenarioNameOf(doc.file)), [], issues);
  return v === INVALID || issues.count > before ? undefined : (v as ResolvedScenario);
}

function withName(root: LNode, name: string): LNode {
  if (root.kind !== "map" || root.entries.has("name")) return root;
  const entries = new Map<string, LEntry>(root.entries);
  entries.set("name", { keyLoc: root.loc, value: { kind: "scalar", loc: root.loc, value: name, synthetic: true } });
  return { ...root, entries };
}
