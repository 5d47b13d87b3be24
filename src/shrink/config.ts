// Phase 1 of a shrink: a smaller configuration that still violates — a shorter `until`, fewer
// clients and requests, fewer replicas when the faults still fit, fewer epochs and users in the PoT
// model, or the PoT economy dropped altogether (a plain PBFT world) when the violation is one of
// consensus. Each dimension is shrunk greedily: its lowest value first, then a binary search between
// the lowest failing and the current value. Every candidate is a full deterministic run.

import { planFaults, type RandomFaultSpec } from "../faults/index.js";
import { RngTree } from "../kernel/index.js";
import { faultsTolerated } from "../protocols/pbft/index.js";
import { clone, type Scenario, withClients, withReplicas } from "./edit.js";

/** What the phases need from the search around them. */
export interface Search {
  /** The smallest violating scenario so far (resolved). */
  readonly best: Scenario;
  /** Time of its first target violation (s). */
  readonly violationTime: number;
  readonly seed: number;
  readonly invariant: string;
  /** Tests `candidate`; when it violates it becomes `best` and the step is recorded under `label`. */
  attempt(candidate: Scenario, label: string): boolean;
}

/** Tries every configuration reduction once; true when any was kept. */
export function shrinkConfiguration(search: Search): boolean {
  let changed = tightenUntil(search);
  const model = search.best.model;
  if (model === "pot" && /^(SAF|INV|LIV|ALARM)/.test(search.invariant)) changed = toPbft(search) || changed;
  if (search.best.model === "pbft") {
    changed = reduceInt(search, "clients", (s) => s.pbft!.clients.count, withClients, 1) || changed;
    changed =
      reduceInt(
        search,
        "requests per client",
        (s) => s.pbft!.clients.requests,
        (s, v) => {
          const out = clone(s);
          out.pbft!.clients.requests = v;
          return out;
        },
        0,
      ) || changed;
  }
  if (search.best.model === "pot") changed = reducePot(search) || changed;
  if (search.best.pbft) changed = reduceReplicas(search) || changed;
  return tightenUntil(search) || changed;
}

/** `until` just past the violation (a run's prefix does not depend on where it will end). */
export function tightenUntil(search: Search): boolean {
  const t = search.violationTime;
  for (const digits of [2, 1]) {
    const until = ceilAbove(t, digits);
    if (!(until < search.best.until)) continue;
    const s = clone(search.best);
    s.until = until;
    if (search.attempt(s, `until ${search.best.until} -> ${until}`)) return true;
  }
  return false;
}

/** The smallest number with `digits` significant digits strictly above t (t > 0). */
export function ceilAbove(t: number, digits: number): number {
  if (!(t > 0)) return 10 ** -digits;
  const step = 10 ** (Math.floor(Math.log10(t)) - digits + 1);
  let v = Number(((Math.floor(t / step) + 1) * step).toPrecision(digits + 1));
  if (!(v > t)) v = Number((v + step).toPrecision(digits + 1));
  return v;
}

/**
 * Shrinks an integer setting: `lo` first, else a binary search for the smallest violating value
 * between the largest value seen not to violate and the current one.
 */
export function reduceInt(
  search: Search,
  name: string,
  get: (s: Scenario) => number,
  set: (s: Scenario, v: number) => Scenario,
  lo: number,
): boolean {
  const start = get(search.best);
  if (start <= lo) return false;
  if (search.attempt(set(search.best, lo), `${name} ${start} -> ${lo}`)) return true;
  let fails = lo;
  let ok = start;
  while (ok - fails > 1) {
    const mid = Math.floor((fails + ok) / 2);
    const before = get(search.best);
    if (search.attempt(set(search.best, mid), `${name} ${before} -> ${mid}`)) ok = mid;
    else fails = mid;
  }
  return ok < start;
}

/** Replicas the fault plan makes faulty with `n` replicas (random draws included: the draw is the seed's). */
export function faultyCount(s: Scenario, seed: number, n: number): number {
  const p = s.pbft!;
  const f = faultsTolerated(n);
  const random = p.randomFaults as RandomFaultSpec | null;
  if (random?.replicas?.some((r) => r >= n)) return Number.POSITIVE_INFINITY;
  try {
    const plan = planFaults(n, f, p.faults, random, new RngTree(seed).stream("faults"));
    return plan.faulty.size + (p.twinsSearch?.replicas.length ?? 0);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Fewer replicas, smallest first, as long as the same faults still fit (within f when they were). */
function reduceReplicas(search: Search): boolean {
  const n = search.best.pbft!.n;
  const faulty = faultyCount(search.best, search.seed, n);
  const withinF = faulty <= faultsTolerated(n);
  for (let m = 1; m < n; m++) {
    const now = faultyCount(search.best, search.seed, m);
    if (now !== faulty || (withinF && now > faultsTolerated(m))) continue;
    if (search.attempt(withReplicas(search.best, m), `replicas ${n} -> ${m}`)) return true;
  }
  return false;
}

/** PoT: fewer epochs and users (the economy stays). */
function reducePot(search: Search): boolean {
  let changed = false;
  const e = search.best.economics;
  if (e?.epochs !== undefined) {
    changed =
      reduceInt(
        search,
        "epochs",
        (s) => s.economics!.epochs!,
        (s, v) => {
          const out = clone(s);
          out.economics!.epochs = v;
          return out;
        },
        0,
      ) || changed;
  }
  const groups = search.best.traffic?.users.length ?? 0;
  for (let i = 0; i < groups; i++) {
    changed =
      reduceInt(
        search,
        `traffic.users[${i}].count`,
        (s) => s.traffic!.users[i]!.count,
        (s, v) => {
          const out = clone(s);
          out.traffic!.users[i]!.count = v;
          return out;
        },
        1,
      ) || changed;
  }
  return changed;
}

/**
 * A consensus violation in the PoT world, tried in a plain PBFT world: the same replicas, faults and
 * network, with as many key-value clients as the PoT world had PBFT clients (meta nodes, then
 * gateways), so every node id keeps its meaning.
 */
function toPbft(search: Search): boolean {
  const s = clone(search.best);
  const e = s.economics;
  if (!e || !s.pbft) return false;
  const clients = e.metaNodes.count + e.gateways;
  s.model = "pbft";
  s.economics = null;
  s.traffic = null;
  s.attacks = null;
  s.pbft.clients = { ...s.pbft.clients, count: clients };
  return search.attempt(s, `economy dropped: model pot -> pbft with ${clients} key-value clients`);
}
