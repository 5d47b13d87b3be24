// The capsule file: a header comment (where it came from, what it violates, how small it is, whether
// it is 1-minimal, what it still draws, the replay command) and the resolved scenario with every
// value written out (no `extends`, no defaults left to the reader). Small collections of plain
// values are written in flow style ({ action: drop, kind: prepare, … }) so a schedule reads one
// element per line. The text is read back through the scenario loader and must give exactly the
// scenario it was written from.

import { Document, isMap, isScalar, isSeq, visit } from "yaml";
import type { Violation } from "../check/index.js";
import { stableJson } from "../metrics/index.js";
import { parseScenarioText, resolveScenario } from "../scenario/index.js";
import type { Scenario } from "./edit.js";
import { CANDIDATE_FILE } from "./oracle.js";
import type { ShrinkSize } from "./shrink.js";

export interface CapsuleFacts {
  readonly source: string;
  readonly seed: number;
  readonly violation: Violation;
  readonly before: ShrinkSize;
  readonly after: ShrinkSize;
  readonly oneMinimal: boolean;
  readonly budgetLimited: boolean;
  /** Distinct candidates the search tested. */
  readonly tested: number;
  readonly drawFree: boolean;
  /** Set when the runs used a replica class of a program (a mutant). */
  readonly replicaLabel?: string;
  readonly replay: string;
  readonly tool?: string;
}

/** Flow style for maps and lists of at most this many plain values. */
const FLOW_ITEMS = 12;

/** The scenario as YAML (see the file header). */
export function scenarioYaml(s: Scenario): string {
  // Sections no run of this model reads, and the sweep block, are left to their defaults.
  const shown: Record<string, unknown> = { ...s };
  delete shown.sweep;
  if (s.model !== "phold") delete shown.phold;
  const doc = new Document(shown);
  visit(doc, {
    Map(_, node) {
      if (node.items.length <= FLOW_ITEMS && node.items.every((p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.every(isScalar)))) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.length <= 4 * FLOW_ITEMS && node.items.every(isScalar)) node.flow = true;
    },
  });
  // A map holding only one flow map stays in block style for the outer level (readable nesting).
  visit(doc, {
    Map(_, node) {
      if (node.flow && node.items.some((p) => isMap(p.value))) node.flow = false;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

function sizeText(z: ShrinkSize): string {
  const parts = [`model ${z.model}`];
  if (z.n !== null) parts.push(`n = ${z.n}`);
  if (z.clients !== null) parts.push(`${z.clients} client${z.clients === 1 ? "" : "s"}${z.requests !== null ? ` x ${z.requests} request${z.requests === 1 ? "" : "s"}` : ""}`);
  parts.push(`until ${z.until} s`, elementsText(z.elements));
  return parts.join(", ");
}

function elementsText(k: number): string {
  return k === 1 ? "1 explicit fault event or rule" : `${k} explicit fault events and rules`;
}

/** The capsule file's text; throws if the loader does not read it back as `s`. */
export function capsuleText(s: Scenario, f: CapsuleFacts): string {
  const v = f.violation;
  const where = [v.view !== undefined ? `view ${v.view}` : "", v.seq !== undefined ? `seq ${v.seq}` : "", v.replicas ? `replicas ${v.replicas.join(",")}` : ""]
    .filter(Boolean)
    .join(", ");
  const lines = [
    `Capsule written by sim shrink${f.tool ? ` (${f.tool})` : ""}: a standalone scenario, every value explicit.`,
    `Shrunk from ${f.source} with seed ${f.seed} (${sizeText(f.before)}).`,
    `Now: ${sizeText(f.after)}.`,
    `Violates ${v.invariant} at t = ${v.time} s${where ? ` (${where})` : ""}: ${oneLine(v.detail)}`,
  ];
  if (f.replicaLabel) lines.push(`Replicas: every replica runs ${oneLine(f.replicaLabel)}, not the correct Replica (plain \`sim run\` builds the correct one and does not reproduce this).`);
  const k = f.after.elements;
  const needed = k === 0 ? `no fault event or rule is needed for ${v.invariant}` : k === 1 ? `removing its one fault event or rule loses ${v.invariant}` : `removing any one of its ${k} fault events and rules loses ${v.invariant}`;
  lines.push(
    f.oneMinimal
      ? `1-minimal: ${needed} (${f.tested} candidates tested).`
      : f.budgetLimited
        ? `Budget-limited after ${f.tested} candidates tested: violates ${v.invariant}, not shown to be 1-minimal (run sim shrink again to continue).`
        : `Not shown to be 1-minimal (${f.tested} candidates tested).`,
  );
  lines.push(
    f.drawFree
      ? "Draws: none (every seed gives the same run)."
      : `Still drawn from the seed: ${f.after.draws.length > 0 ? f.after.draws.join(", ") : "some random source"}.`,
  );
  lines.push(`Replay: ${f.replay}`);
  const header = lines.map((l) => `# ${l}\n`).join("");
  const text = `${header}${scenarioYaml(s)}`;
  const back = resolveScenario(parseScenarioText(text, CANDIDATE_FILE));
  if (stableJson(back) !== stableJson(s)) throw new Error("shrink: the capsule's YAML does not read back as the shrunk scenario");
  return text;
}
