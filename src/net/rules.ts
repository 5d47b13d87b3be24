// net/rules: targeted faults — drop, delay or duplicate messages matching kind, source,
// destination and a send-time window, each with a probability. Rules are compiled once (kind ids,
// node masks) and evaluated in id order; a probability draw is made only for a matching rule
// with 0 < p < 1, from the dedicated "net.rules" stream.
// May import: kernel (Stream), ./config, ./reachability.

import type { Stream } from "../kernel/index.js";
import type { NetworkRule } from "./config.js";
import { checkNode } from "./reachability.js";

const DROP = 0;
const DELAY = 1;
const DUPLICATE = 2;

interface CompiledRule {
  readonly id: number;
  readonly action: number;
  /** Kind ids, or null for any kind. */
  readonly kinds: Int32Array | null;
  readonly from: Uint8Array | null;
  readonly to: Uint8Array | null;
  readonly start: number;
  readonly end: number;
  readonly probability: number;
  readonly delay: number;
}

export class RuleTable {
  private rules: CompiledRule[] = [];
  private nextId = 1;
  /** Outputs of the last `evaluate` that did not drop (fields, not an object, to avoid allocation). */
  extraDelay = 0;
  extraCopies = 0;

  constructor(
    private readonly nodeCount: number,
    private readonly internKind: (name: string) => number,
    private readonly rng: Stream,
  ) {}

  get size(): number {
    return this.rules.length;
  }

  /** Adds a rule and returns its id (ids start at 1 and are never reused). */
  add(rule: NetworkRule): number {
    const id = this.nextId++;
    const action = rule.action === "drop" ? DROP : rule.action === "delay" ? DELAY : DUPLICATE;
    const kinds = rule.kind === undefined ? null : Int32Array.from(asArray(rule.kind), (k) => this.internKind(k));
    this.rules.push({
      id,
      action,
      kinds,
      from: this.mask(rule.from),
      to: this.mask(rule.to),
      start: rule.start ?? Number.NEGATIVE_INFINITY,
      end: rule.end ?? Number.POSITIVE_INFINITY,
      probability: rule.probability,
      delay: rule.delay ?? 0,
    });
    return id;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    // a new array, so an evaluation in progress never sees a shifted list
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  /** True when the message is dropped; otherwise sets `extraDelay` and `extraCopies`. */
  evaluate(kind: number, from: number, to: number, now: number): boolean {
    let delay = 0;
    let copies = 0;
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (now < r.start || now >= r.end) continue;
      if (r.from !== null && r.from[from] === 0) continue;
      if (r.to !== null && r.to[to] === 0) continue;
      if (r.kinds !== null && !r.kinds.includes(kind)) continue;
      if (r.probability <= 0) continue;
      if (r.probability < 1 && !(this.rng.next() < r.probability)) continue;
      if (r.action === DROP) return true;
      if (r.action === DELAY) delay += r.delay;
      else copies++;
    }
    this.extraDelay = delay;
    this.extraCopies = copies;
    return false;
  }

  private mask(nodes: number | number[] | undefined): Uint8Array | null {
    if (nodes === undefined) return null;
    const m = new Uint8Array(this.nodeCount);
    for (const node of asArray(nodes)) {
      checkNode(node, this.nodeCount);
      m[node] = 1;
    }
    return m;
  }
}

function asArray<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}
