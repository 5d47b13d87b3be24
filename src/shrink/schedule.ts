// A scenario as a base plus a list of schedule elements — the faults, network rules, partitions,
// latency spikes and economic attacks it declares, and the per-message effects a recording made
// explicit — so delta debugging can remove elements and `materialize` can turn any subset back
// into a scenario.
//
// Effects become network rules matching the message's kind, sender, receiver, view and sequence
// number, with the occurrence numbers of the affected copies. Effects of one action on one key share
// a rule (one occurrence counter for all of them). Effect rules come before the scenario's own
// rules, delays and duplicates before the rules that stop a copy (drop, hold, redirect), so a rule's
// count runs over every copy with its key that reached the rule table, except those an earlier
// effect rule stopped; `materialize` computes the occurrence numbers that way, from the recording.

import type { ResolvedScenario } from "../scenario/index.js";
import { clone, type FaultSpec, type Scenario } from "./edit.js";
import type { Effect, RecordedMessage } from "./record.js";

type Network = Scenario["network"];
export type Rule = Network["rules"][number];
export type Partition = Network["partitions"][number];
type Spike = Network["spikes"][number];
type Attacks = NonNullable<ResolvedScenario["attacks"]>;
type AttackList = "coalitions" | "sybils" | "offline";

export type Element =
  | { readonly type: "fault"; readonly spec: FaultSpec }
  | { readonly type: "rule"; readonly rule: Rule }
  | { readonly type: "partition"; readonly partition: Partition }
  | { readonly type: "spike"; readonly spike: Spike }
  | { readonly type: "attack"; readonly list: AttackList; readonly spec: Attacks[AttackList][number] }
  | { readonly type: "effect"; readonly effect: Effect };

export interface Schedule {
  /** The scenario without its elements (empty fault, rule, partition, spike and attack lists). */
  readonly base: Scenario;
  readonly elements: readonly Element[];
  /** The recording the effects index (empty when there are none). */
  readonly messages: readonly RecordedMessage[];
}

const ATTACK_LISTS: readonly AttackList[] = ["coalitions", "sybils", "offline"];

/** A scenario's own elements, in the order faults, rules, partitions, spikes, attacks. */
export function elementsOf(s: Scenario): Element[] {
  const out: Element[] = [];
  for (const spec of s.pbft?.faults ?? []) out.push({ type: "fault", spec });
  for (const rule of s.network.rules) out.push({ type: "rule", rule });
  for (const partition of s.network.partitions) out.push({ type: "partition", partition });
  for (const spike of s.network.spikes) out.push({ type: "spike", spike });
  const a = s.attacks;
  if (a) for (const list of ATTACK_LISTS) for (const spec of a[list]) out.push({ type: "attack", list, spec } as Element);
  return out;
}

/** `s` with every element list emptied. */
export function baseOf(s: Scenario): Scenario {
  const out = clone(s);
  if (out.pbft) out.pbft.faults = [];
  out.network.rules = [];
  out.network.partitions = [];
  out.network.spikes = [];
  if (out.attacks) for (const list of ATTACK_LISTS) out.attacks[list] = [];
  return out;
}

export function scheduleOf(s: Scenario): Schedule {
  return { base: baseOf(s), elements: elementsOf(s), messages: [] };
}

/** The scenario holding `base` and exactly `subset` (a sub-list of the schedule's elements, in its order). */
export function materialize(schedule: Schedule, subset: readonly Element[]): Scenario {
  const out = clone(schedule.base);
  const effects: Effect[] = [];
  for (const e of subset) {
    switch (e.type) {
      case "fault":
        out.pbft!.faults.push(clone(e.spec));
        break;
      case "rule":
        out.network.rules.push(clone(e.rule));
        break;
      case "partition":
        out.network.partitions.push(clone(e.partition));
        break;
      case "spike":
        out.network.spikes.push(clone(e.spike));
        break;
      case "attack":
        (out.attacks![e.list] as unknown[]).push(clone(e.spec));
        break;
      case "effect":
        effects.push(e.effect);
        break;
    }
  }
  if (effects.length > 0) out.network.rules = [...effectRules(schedule.messages, effects), ...out.network.rules];
  return out;
}

interface Group {
  readonly key: string;
  readonly rule: Rule;
  readonly stops: boolean;
  readonly designated: Set<number>;
  readonly occurrences: number[];
  count: number;
}

/** The network rules that apply `effects` (see the file header). */
export function effectRules(messages: readonly RecordedMessage[], effects: readonly Effect[]): Rule[] {
  const groups = new Map<string, Group>();
  for (const e of effects) {
    const m = messages[e.msg]!;
    const signature = `${actionSignature(e)}#${m.key}`;
    let g = groups.get(signature);
    if (g === undefined) {
      g = { key: m.key, rule: ruleFor(e, m), stops: e.action === "drop" || e.action === "hold" || e.action === "redirect", designated: new Set(), occurrences: [], count: 0 };
      groups.set(signature, g);
    }
    g.designated.add(e.msg);
  }
  // Non-stopping rules first; within each kind, in the order their first copy was sent (Map order).
  const ordered = [...groups.values()].filter((g) => !g.stops).concat([...groups.values()].filter((g) => g.stops));
  const byKey = new Map<string, Group[]>();
  for (const g of ordered) {
    const list = byKey.get(g.key);
    if (list) list.push(g);
    else byKey.set(g.key, [g]);
  }
  messages.forEach((m, i) => {
    for (const g of byKey.get(m.key) ?? []) {
      g.count++;
      if (!g.designated.has(i)) continue;
      g.occurrences.push(g.count);
      if (g.stops) break;
    }
  });
  return ordered.map((g) => ({ ...g.rule, occurrence: g.occurrences.length === 1 ? g.occurrences[0]! : g.occurrences }) as Rule);
}

function actionSignature(e: Effect): string {
  switch (e.action) {
    case "drop":
      return "drop";
    case "delay":
      return `delay:${e.delay}`;
    case "duplicate":
      return `duplicate:${e.copy}`;
    case "hold":
      return `hold:${JSON.stringify(e.until)}`;
    case "redirect":
      return `redirect:${e.deliverTo.join(",")}`;
  }
}

/** The rule matching copies with `m`'s key, doing `e` (occurrence added by the caller). */
function ruleFor(e: Effect, m: RecordedMessage): Rule {
  const match: Record<string, unknown> = { kind: m.kind, from: m.from, to: m.to };
  if (m.view >= 0) match.view = m.view;
  if (m.seq >= 0) match.seq = m.seq;
  switch (e.action) {
    case "drop":
      return { action: "drop", ...match, start: 0, probability: 1 } as Rule;
    case "delay":
      return { action: "delay", ...match, start: 0, probability: 1, delay: e.delay } as Rule;
    case "duplicate":
      return { action: "duplicate", ...match, start: 0, probability: 1 } as Rule;
    case "hold":
      return { action: "hold", ...match, start: 0, probability: 1, until: clone(e.until) } as Rule;
    case "redirect":
      return { action: "redirect", ...match, start: 0, probability: 1, deliverTo: [...e.deliverTo] } as Rule;
  }
}

/** Explicit fault events and rules of a scenario: what "at most k" counts. */
export function scheduleSize(s: Scenario): number {
  return elementsOf(s).length;
}

/** One line naming an element (progress and shrink.json). */
export function describeElement(e: Element, messages: readonly RecordedMessage[] = []): string {
  switch (e.type) {
    case "fault": {
      const f = e.spec;
      return f.type === "twins" ? `fault twins of replicas ${f.replicas.join(",")}` : `fault ${f.type} replica ${f.replica} at ${f.at}`;
    }
    case "rule":
      return `rule ${ruleText(e.rule)}`;
    case "partition": {
      const p = e.partition;
      const what = p.isolate !== undefined ? `isolate ${p.isolate}` : `groups ${JSON.stringify(p.groups)}`;
      return `partition ${what} at ${p.at}${p.heal !== undefined ? ` heal ${p.heal}` : ""}`;
    }
    case "spike":
      return `spike +${e.spike.extra}s ${e.spike.at}..${e.spike.until}`;
    case "attack":
      return `attack ${e.list} ${JSON.stringify(e.spec)}`;
    case "effect": {
      const m = messages[e.effect.msg];
      const where = m ? `${m.kind} ${m.from}->${m.to}${m.view >= 0 ? ` view ${m.view}` : ""}${m.seq >= 0 ? ` seq ${m.seq}` : ""} at ${m.time}` : `message ${e.effect.msg}`;
      return `${e.effect.action} ${where}`;
    }
  }
}

export function ruleText(r: Rule): string {
  const parts: string[] = [r.action];
  for (const k of ["kind", "from", "to", "view", "seq", "client", "occurrence", "start", "end", "delay"] as const) {
    const v = (r as Record<string, unknown>)[k];
    if (v === undefined || (k === "start" && v === 0)) continue;
    parts.push(`${k} ${JSON.stringify(v)}`);
  }
  if (r.probability !== 1) parts.push(`p ${r.probability}`);
  return parts.join(" ");
}
