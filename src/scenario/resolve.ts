// Validation of a merged scenario tree against the definition, giving the resolved scenario.
// Owns: name defaulting (file basename) and running the schema. May import: node:path,
// ./definition.js, ./issues.js, ./limits.js, ./located.js, ./schema.js, ./source.js.

import { basename } from "node:path";
import { type ResolvedScenario, scenarioSchema } from "./definition.js";
import { MAX_NAME_LENGTH, NAME_PATTERN } from "./limits.js";
import { Issues } from "./issues.js";
import type { LEntry, LNode } from "./located.js";
import { INVALID } from "./schema.js";
import type { SourceDoc } from "./source.js";

/**
 * `scenarios/pbft-4.yaml` → `pbft-4`. The default name must be a valid one (it names the results
 * folder): characters outside the name set become "-", and it is cut to the length limit.
 */
export function scenarioNameOf(file: string): string {
  const raw = basename(file).replace(/\.ya?ml$/i, "");
  const safe = raw.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, MAX_NAME_LENGTH);
  return NAME_PATTERN.test(safe) ? safe : "scenario";
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
