// net/rules: targeted faults — drop, delay, duplicate, hold or redirect messages matching kind,
// source, destination, a send-time window, protocol fields (view, sequence number, digest, the
// request of a client) and the k-th occurrence, each with a probability. Rules are compiled once
// (kind ids, node masks, field matchers) and evaluated in id order; a probability draw is made only
// for a matching rule with 0 < p < 1, from the dedicated "net.rules" stream.
//
// Protocol fields: the network knows no protocol. The world hands it a MessageReader; the rule
// table reads a message's fields through it at most once per evaluation, and only when some rule
// names a protocol field and has passed its cheap tests (time, endpoints, kind). A table without
// such rules never calls the reader: its cost is one null test per rule.
// May import: kernel (Stream), ./config, ./reachability.

import type { Stream } from "../kernel/index.js";
import type { FieldMatch, NetworkRule, ReleaseEvent } from "./config.js";
import { checkNode } from "./reachability.js";

/** What a rule can read of a message; −1 and "" when the message has no such field (the world's MessageFacts has this shape). */
export interface MessageFields {
  view: number;
  seq: number;
  digest: string;
}

/** The world's view of its protocol's messages, for rules on protocol fields. */
export interface MessageReader {
  /** Fills `out` with the message's view, sequence number and digest. */
  read(msg: unknown, out: MessageFields): void;
  /** Whether the message carries, or names by digest, a request of `client` (with timestamp `timestamp`, or any when −1). */
  hasRequest(msg: unknown, client: number, timestamp: number): boolean;
  /** Sees every message a rule table with client rules evaluates (to learn which requests a digest stands for). */
  note?(msg: unknown): void;
}

/** Outcomes of `evaluate`. */
export const RULE_PASS = 0;
export const RULE_DROP = 1;
export const RULE_HOLD = 2;
export const RULE_REDIRECT = 3;

const DROP = 0;
const DELAY = 1;
const DUPLICATE = 2;
const HOLD = 3;
const REDIRECT = 4;

/** A compiled numeric field test: a sorted list of values, or a range. */
interface NumberTest {
  readonly values: readonly number[] | null;
  readonly min: number;
  readonly max: number;
}

/** Protocol-field tests of a rule; null fields match anything. */
interface FieldTests {
  readonly view: NumberTest | null;
  readonly seq: NumberTest | null;
  readonly digest: string | null;
  readonly client: number;
  readonly timestamp: number;
}

export interface CompiledRule {
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
  /** null: the rule names no protocol field (the reader is never called for it). */
  readonly fields: FieldTests | null;
  /** Occurrences affected (1-based), or null for all. */
  readonly occurrences: readonly number[] | null;
  /** Messages that matched every field so far (the occurrence counter). */
  matched: number;
  /** "hold": release time (Infinity when released by an event), and whether the event happened. */
  readonly holdUntil: number;
  readonly releaseEvent: ReleaseEvent | null;
  released: boolean;
  /** "redirect": the nodes that get the copy instead. */
  readonly deliverTo: readonly number[];
}

export class RuleTable {
  private rules: CompiledRule[] = [];
  private nextId = 1;
  /** Outputs of the last `evaluate` that did not drop (fields, not an object, to avoid allocation). */
  extraDelay = 0;
  extraCopies = 0;
  /** The rule that held or redirected the message (last `evaluate` returned RULE_HOLD or RULE_REDIRECT). */
  decisive: CompiledRule | null = null;
  private readonly facts: MessageFields = { view: -1, seq: -1, digest: "" };
  /** Rules matching the request of a client: every evaluated message is shown to the reader. */
  private clientRules = 0;

  constructor(
    private readonly nodeCount: number,
    private readonly internKind: (name: string) => number,
    private readonly rng: Stream,
    private readonly reader: MessageReader | null = null,
  ) {}

  get size(): number {
    return this.rules.length;
  }

  /** Adds a rule and returns its compiled form (ids start at 1 and are never reused). */
  add(rule: NetworkRule): CompiledRule {
    const id = this.nextId++;
    const action = ({ drop: DROP, delay: DELAY, duplicate: DUPLICATE, hold: HOLD, redirect: REDIRECT } as const)[rule.action];
    const kinds = rule.kind === undefined ? null : Int32Array.from(asArray(rule.kind), (k) => this.internKind(k));
    const fields = compileFields(rule);
    if (fields !== null && this.reader === null) throw new Error("network rule on protocol fields: this world has no message reader");
    const until = rule.until;
    const compiled: CompiledRule = {
      id,
      action,
      kinds,
      from: this.mask(rule.from),
      to: this.mask(rule.to),
      start: rule.start ?? Number.NEGATIVE_INFINITY,
      end: rule.end ?? Number.POSITIVE_INFINITY,
      probability: rule.probability,
      delay: rule.delay ?? 0,
      fields,
      occurrences: rule.occurrence === undefined ? null : [...asArray(rule.occurrence)].sort((a, b) => a - b),
      matched: 0,
      holdUntil: typeof until === "number" ? until : Number.POSITIVE_INFINITY,
      releaseEvent: until !== undefined && typeof until !== "number" ? until : null,
      released: false,
      deliverTo: rule.deliverTo === undefined ? [] : asArray(rule.deliverTo),
    };
    if (action === REDIRECT) for (const node of compiled.deliverTo) checkNode(node, this.nodeCount);
    if (fields !== null && fields.client >= 0) this.clientRules++;
    this.rules.push(compiled);
    return compiled;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    // a new array, so an evaluation in progress never sees a shifted list
    const gone = this.rules.find((r) => r.id === id);
    this.rules = this.rules.filter((r) => r.id !== id);
    if (gone?.fields?.client !== undefined && gone.fields.client >= 0) this.clientRules--;
    return this.rules.length !== before;
  }

  /**
   * RULE_DROP, RULE_HOLD or RULE_REDIRECT (the first such rule decides; `decisive` names it), or
   * RULE_PASS with `extraDelay` and `extraCopies` set.
   */
  evaluate(kind: number, from: number, to: number, now: number, msg: unknown): number {
    let delay = 0;
    let copies = 0;
    let read = false;
    if (this.clientRules > 0) this.reader!.note?.(msg);
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      if (now < r.start || now >= r.end) continue;
      if (r.from !== null && r.from[from] === 0) continue;
      if (r.to !== null && r.to[to] === 0) continue;
      if (r.kinds !== null && !r.kinds.includes(kind)) continue;
      if (r.fields !== null) {
        if (!read) {
          this.reader!.read(msg, this.facts);
          read = true;
        }
        if (!this.fieldsMatch(r.fields, msg)) continue;
      }
      if (r.occurrences !== null && !r.occurrences.includes(++r.matched)) continue;
      if (r.action === HOLD && (r.released || now >= r.holdUntil)) continue;
      if (r.probability <= 0) continue;
      if (r.probability < 1 && !(this.rng.next() < r.probability)) continue;
      switch (r.action) {
        case DROP:
          return RULE_DROP;
        case DELAY:
          delay += r.delay;
          break;
        case DUPLICATE:
          copies++;
          break;
        default:
          this.decisive = r;
          return r.action === HOLD ? RULE_HOLD : RULE_REDIRECT;
      }
    }
    this.extraDelay = delay;
    this.extraCopies = copies;
    return RULE_PASS;
  }

  private fieldsMatch(t: FieldTests, msg: unknown): boolean {
    const f = this.facts;
    if (t.view !== null && !numberMatches(t.view, f.view)) return false;
    if (t.seq !== null && !numberMatches(t.seq, f.seq)) return false;
    if (t.digest !== null && f.digest !== t.digest) return false;
    if (t.client >= 0 && !this.reader!.hasRequest(msg, t.client, t.timestamp)) return false;
    return true;
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

function compileFields(rule: NetworkRule): FieldTests | null {
  if (rule.view === undefined && rule.seq === undefined && rule.digest === undefined && rule.client === undefined) return null;
  return {
    view: rule.view === undefined ? null : numberTest(rule.view),
    seq: rule.seq === undefined ? null : numberTest(rule.seq),
    digest: rule.digest ?? null,
    client: rule.client ?? -1,
    timestamp: rule.client === undefined ? -1 : (rule.timestamp ?? -1),
  };
}

function numberTest(m: FieldMatch): NumberTest {
  if (typeof m === "number") return { values: [m], min: 0, max: 0 };
  if (Array.isArray(m)) return { values: m as readonly number[], min: 0, max: 0 };
  const r = m as { min?: number; max?: number };
  return { values: null, min: r.min ?? Number.NEGATIVE_INFINITY, max: r.max ?? Number.POSITIVE_INFINITY };
}

/** A message without the field (−1) matches no test. */
function numberMatches(t: NumberTest, x: number): boolean {
  if (x < 0) return false;
  return t.values !== null ? t.values.includes(x) : x >= t.min && x <= t.max;
}

function asArray<T>(x: T | readonly T[]): readonly T[] {
  return Array.isArray(x) ? (x as readonly T[]) : [x as T];
}
