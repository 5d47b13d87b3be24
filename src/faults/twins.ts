// Twins (Bano et al., "Twins: BFT Systems Made Robust", OPODIS 2021), generalised: a Byzantine
// identity runs as two copies of the correct code, and the replicas — twin copies included — are
// partitioned differently per view or per time window; a message passes only between nodes in the
// same group of the phase it belongs to (the phase of its view, or, for a message without a view,
// of its sender's current view; or the phase of the current time). Clients reach every node.
//
// The generator (`generateTwins`) draws, per seed, the leader of each of the first k views and, for
// each of `views` consecutive time windows, a partition of the nodes into at most `maxGroups` groups;
// after the last window nothing is partitioned. It prunes symmetric choices: a partition is drawn
// uniformly among set partitions (groups unordered — {A|B} and {B|A} are one choice; as restricted
// growth strings), and a schedule is replaced by the least of its images under swapping the two
// copies of any twinned identity (the copies are indistinguishable: same code, same id).
// Why windows and not a partition per view number: in PBFT only timers end a view, and a view whose
// partition leaves no quorum around its primary never ends for the replicas stuck in it (their
// VIEW-CHANGEs for the next view would be routed by that view's partition for ever). So each drawn
// partition holds for one window (its length drawn in [0.5, 1.5]·viewLength), and a timing adversary
// opens every window after the first by making each correct replica in normal mode suspect its
// primary, as its request timer would under an asynchronous network (Replica.suspectPrimary; PBFT's
// safety may not depend on when timers fire): one view per window, about `views` views per run.
// The run pins the drawn leaders through PbftConfig.leaders, a protocol parameter all replicas share.

import type { Stream } from "../kernel/index.js";
import type { TwinNodeRef, TwinPhase } from "./plan.js";

/** The generator's settings (scenario key pbft.twinsSearch). */
export interface TwinsSearchSpec {
  /** Twinned identities (at most f for a safety gate). */
  replicas: number[];
  /** Windows (about one view each) whose partition is drawn; afterwards: one group. */
  views: number;
  /** The first `leaders` views get a drawn primary (later: v mod n). */
  leaders: number;
  maxGroups: number;
  /** Mean seconds per window (each drawn in [0.5, 1.5]·viewLength). */
  viewLength: number;
}

export interface GeneratedTwins {
  readonly leaders: number[];
  /** Phases by time: one per window, then one without partition. */
  readonly schedule: TwinPhase[];
  /** Start times of windows 1…views−1, when the correct replicas suspect their primary. */
  readonly rotations: number[];
}

/** Node ids of a twins world: replica r is node r; the second copy of the k-th twinned replica is `twinBase + k`. */
export class TwinNodes {
  constructor(
    readonly n: number,
    readonly replicas: readonly number[],
    readonly twinBase: number,
  ) {}

  /** The network node a reference names, or −1. */
  node(ref: TwinNodeRef): number {
    if (typeof ref === "number") return Number.isInteger(ref) && ref >= 0 && ref < this.n ? ref : -1;
    const m = /^(\d+)'$/.exec(ref);
    if (m === null) return -1;
    const k = this.replicas.indexOf(Number(m[1]));
    return k < 0 ? -1 : this.twinBase + k;
  }

  /** Nodes in generator order: replicas 0…n−1, then the second copies. */
  refs(): TwinNodeRef[] {
    return [...Array.from({ length: this.n }, (_, i) => i), ...this.replicas.map((r) => `${r}'`)];
  }
}

/** Routes replica-to-replica messages by a twins schedule: whether two nodes share a group in a phase. */
export class TwinsRouter {
  private readonly byView: boolean;
  private readonly starts: number[];
  /** Per phase, the group of every node (nodes outside the replica set: −1, connected to all). */
  private readonly sides: Int32Array[];

  constructor(nodes: TwinNodes, nodeCount: number, schedule: readonly TwinPhase[]) {
    this.byView = schedule.length === 0 || schedule[0]!.view !== undefined;
    const phases = [...schedule].sort((a, b) => (this.byView ? a.view! - b.view! : a.at! - b.at!));
    this.starts = phases.map((p) => (this.byView ? p.view! : p.at!));
    this.sides = phases.map((p) => {
      const side = new Int32Array(nodeCount).fill(-1);
      const inSet = [...Array.from({ length: nodes.n }, (_, i) => i), ...nodes.replicas.map((_, k) => nodes.twinBase + k)];
      for (const node of inSet) side[node] = p.groups.length;
      p.groups.forEach((g, gi) => {
        for (const ref of g) {
          const node = nodes.node(ref);
          if (node < 0) throw new Error(`twins schedule: ${JSON.stringify(ref)} is not a replica or twin copy`);
          side[node] = gi;
        }
      });
      return side;
    });
  }

  /** Whether the schedule is per view (else per time window). */
  get perView(): boolean {
    return this.byView;
  }

  /** Whether `from` and `to` share a group in the phase of `view` (per-view schedules) or of `now`. */
  connected(from: number, to: number, view: number, now: number): boolean {
    const key = this.byView ? view : now;
    let k = -1;
    for (let i = 0; i < this.starts.length && this.starts[i]! <= key; i++) k = i;
    if (k < 0) return true;
    const side = this.sides[k]!;
    const a = side[from]!;
    const b = side[to]!;
    return a < 0 || b < 0 || a === b;
  }
}

// ---- the generator -------------------------------------------------------------------------

/**
 * Restricted growth strings of length `size` with at most `groups` blocks: `completions[i][m]` is
 * the number of ways to fill positions i… when m blocks are in use. A set partition's canonical form.
 */
export class PartitionSpace {
  private readonly completions: number[][];
  readonly total: number;

  constructor(
    readonly size: number,
    readonly groups: number,
  ) {
    const c: number[][] = Array.from({ length: size + 1 }, () => new Array<number>(groups + 2).fill(0));
    for (let m = 0; m <= groups; m++) c[size]![m] = 1;
    for (let i = size - 1; i >= 1; i--) {
      for (let m = 1; m <= groups; m++) c[i]![m] = m * c[i + 1]![m]! + (m < groups ? c[i + 1]![m + 1]! : 0);
    }
    this.completions = c;
    this.total = size === 0 ? 1 : size === 1 ? 1 : c[1]![1]!;
  }

  /** The `index`-th canonical partition (0 ≤ index < total) as a restricted growth string. */
  unrank(index: number): number[] {
    const rgs = [0];
    let x = index;
    let m = 1;
    for (let i = 1; i < this.size; i++) {
      const each = this.completions[i + 1]![m]!;
      if (x < m * each) {
        rgs.push(Math.floor(x / each));
        x %= each;
      } else {
        x -= m * each;
        rgs.push(m);
        m++;
      }
    }
    return rgs.slice(0, this.size);
  }
}

/** Relabels blocks by first appearance (the canonical form of the same partition). */
export function canonicalRgs(labels: readonly number[]): number[] {
  const map = new Map<number, number>();
  return labels.map((l) => {
    let c = map.get(l);
    if (c === undefined) {
      c = map.size;
      map.set(l, c);
    }
    return c;
  });
}

/**
 * The least (lexicographically, over all views in order) of a schedule's images under swapping the
 * copies of any subset of the twinned identities: equivalent schedules map to one representative.
 * `views[v][i]` is node i's block in view v (node order of TwinNodes.refs).
 */
export function canonicalSchedule(views: readonly (readonly number[])[], n: number, twinned: readonly number[]): number[][] {
  let best: number[][] | null = null;
  for (let mask = 0; mask < 1 << twinned.length; mask++) {
    const image = views.map((rgs) => {
      const swapped = [...rgs];
      twinned.forEach((r, k) => {
        if ((mask >> k) & 1) {
          swapped[r] = rgs[n + k]!;
          swapped[n + k] = rgs[r]!;
        }
      });
      return canonicalRgs(swapped);
    });
    if (best === null || compareSchedules(image, best) < 0) best = image;
  }
  return best ?? [];
}

function compareSchedules(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  for (let v = 0; v < a.length; v++) {
    for (let i = 0; i < a[v]!.length; i++) {
      const d = a[v]![i]! - b[v]![i]!;
      if (d !== 0) return d;
    }
  }
  return 0;
}

/** Groups of a restricted growth string over `refs` (block order). */
export function groupsOf(rgs: readonly number[], refs: readonly TwinNodeRef[]): TwinNodeRef[][] {
  const groups: TwinNodeRef[][] = [];
  rgs.forEach((b, i) => {
    (groups[b] ??= []).push(refs[i]!);
  });
  return groups;
}

/** One seed's Twins schedule: leaders of the first views and a pruned partition per view. */
export function generateTwins(n: number, spec: TwinsSearchSpec, rng: Stream): GeneratedTwins {
  const nodes = new TwinNodes(n, spec.replicas, n);
  const refs = nodes.refs();
  const space = new PartitionSpace(refs.length, spec.maxGroups);
  const leaders = Array.from({ length: spec.leaders }, () => rng.int(n));
  const drawn = Array.from({ length: spec.views }, () => space.unrank(rng.int(space.total)));
  const windows = canonicalSchedule(drawn, n, spec.replicas);
  const starts: number[] = [];
  let t = 0;
  for (let k = 0; k <= spec.views; k++) {
    starts.push(t);
    t += rng.uniform(0.5 * spec.viewLength, 1.5 * spec.viewLength);
  }
  const schedule: TwinPhase[] = windows.map((rgs, k) => ({ at: starts[k]!, groups: groupsOf(rgs, refs) }));
  schedule.push({ at: starts[spec.views]!, groups: [] });
  const rotations = starts.slice(1, spec.views);
  return { leaders, schedule, rotations };
}
