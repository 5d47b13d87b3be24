// Edits of a resolved scenario that a shrink tries: fewer clients, fewer replicas (with the node ids
// of network rules and partitions renumbered, since clients and twin copies are numbered after the
// replicas), and the counts of elements a schedule is made of. Every edit returns a fresh copy; none
// checks its result — the scenario loader does, for every candidate (oracle.ts).

import type { ResolvedScenario } from "../scenario/index.js";

export type Scenario = ResolvedScenario;
type Rule = Scenario["network"]["rules"][number];
type Partition = Scenario["network"]["partitions"][number];
export type FaultSpec = NonNullable<Scenario["pbft"]>["faults"][number];

export function clone<T>(x: T): T {
  return structuredClone(x);
}

/** How the network nodes of a scenario are numbered: replicas, then clients, then twin copies. */
export interface NodeLayout {
  readonly replicas: number;
  readonly clients: number;
  readonly twins: number;
}

export function layoutOf(s: Scenario): NodeLayout {
  const p = s.pbft;
  if (!p) return { replicas: 0, clients: 0, twins: 0 };
  const e = s.economics;
  const clients = s.model === "pot" && e ? e.metaNodes.count + e.gateways : p.clients.count;
  const twins = p.faults.reduce((a, f) => a + (f.type === "twins" ? f.replicas.length : 0), 0) + (p.twinsSearch?.replicas.length ?? 0);
  return { replicas: p.n, clients, twins };
}

/** Maps old node ids to new ones (null: the node is gone) when `from` becomes `to`. */
export function nodeMap(from: NodeLayout, to: NodeLayout): (id: number) => number | null {
  return (id) => {
    if (id < from.replicas) return id < to.replicas ? id : null;
    const c = id - from.replicas;
    if (c < from.clients) return c < to.clients ? to.replicas + c : null;
    const t = c - from.clients;
    return t < to.twins ? to.replicas + to.clients + t : null;
  };
}

/**
 * Renumbers the node ids of network rules, partitions and a per-node region list. A rule whose
 * senders or receivers are all gone can no longer match and is dropped; so is a partition left with
 * fewer than two sides.
 */
export function remapNodes(s: Scenario, map: (id: number) => number | null): Scenario {
  const out = clone(s);
  const net = out.network;
  const ids = (v: number | number[] | undefined): number | number[] | undefined | null => {
    if (v === undefined) return undefined;
    const list = (Array.isArray(v) ? v : [v]).map(map).filter((x): x is number => x !== null);
    if (list.length === 0) return null;
    return Array.isArray(v) ? list : list[0]!;
  };
  const rules: Rule[] = [];
  for (const r of net.rules) {
    const from = ids(r.from);
    const to = ids(r.to);
    if (from === null || to === null) continue;
    const copy = { ...r, from, to } as Rule;
    if (from === undefined) delete copy.from;
    if (to === undefined) delete copy.to;
    if (r.action === "redirect") {
      const d = ids(r.deliverTo);
      if (d === null || d === undefined) continue;
      (copy as Extract<Rule, { action: "redirect" }>).deliverTo = d;
    }
    rules.push(copy);
  }
  net.rules = rules;
  const parts: Partition[] = [];
  for (const p of net.partitions) {
    if (p.isolate !== undefined) {
      const i = map(p.isolate);
      if (i !== null) parts.push({ ...p, isolate: i });
      continue;
    }
    const groups = (p.groups ?? []).map((g) => g.map(map).filter((x): x is number => x !== null)).filter((g) => g.length > 0);
    if (groups.length > 0) parts.push({ ...p, groups });
  }
  net.partitions = parts;
  const lat = net.latency;
  if (lat.model === "regions" && Array.isArray(lat.assignment)) {
    const kept: string[] = [];
    lat.assignment.forEach((region, id) => {
      const m = map(id);
      if (m !== null) kept[m] = region;
    });
    lat.assignment = kept;
  }
  return out;
}

/** `s` with `count` PBFT clients (the first ones kept; model pbft). */
export function withClients(s: Scenario, count: number): Scenario {
  const from = layoutOf(s);
  const out = remapNodes(s, nodeMap(from, { ...from, clients: count }));
  const c = out.pbft!.clients;
  c.count = count;
  if (Array.isArray(c.strategy)) c.strategy = c.strategy.slice(0, count);
  return out;
}

/** `s` with `n` replicas (replicas n.. dropped: a scenario still naming one is refused by the loader). */
export function withReplicas(s: Scenario, n: number): Scenario {
  const from = layoutOf(s);
  const out = remapNodes(s, nodeMap(from, { ...from, replicas: n }));
  out.pbft!.n = n;
  return out;
}

