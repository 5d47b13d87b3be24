// KvApplication: a small deterministic key-value service for tests and scenarios.
// Ops: {type:"put",key,value} → "ok"; {type:"get",key} → canonical value or "none";
// {type:"add",key,delta} → the new number (missing key counts as 0). Anything else → "error:…".
// The state digest is maintained incrementally (order-independent set hash), so it costs O(1).

import { canonical, SetHash } from "./digest.js";
import type { Application, ExecContext } from "./types.js";

export type KvOp =
  | { type: "put"; key: string; value: unknown }
  | { type: "get"; key: string }
  | { type: "add"; key: string; delta: number };

/** Snapshot: an immutable list of [key, canonical value, value] triples sorted by key. */
export interface KvSnapshot {
  readonly entries: ReadonlyArray<readonly [string, string, unknown]>;
}

const ENTRY_OVERHEAD = 16;

export class KvApplication implements Application {
  private readonly data = new Map<string, { value: unknown; enc: string }>();
  private readonly hash = new SetHash();
  private bytes = 0;

  execute(op: unknown, _ctx: ExecContext): string {
    if (typeof op !== "object" || op === null) return "error:bad-op";
    const o = op as { type?: unknown; key?: unknown; value?: unknown; delta?: unknown };
    if (typeof o.key !== "string") return "error:bad-key";
    switch (o.type) {
      case "put":
        this.set(o.key, o.value);
        return "ok";
      case "get": {
        const e = this.data.get(o.key);
        return e === undefined ? "none" : e.enc;
      }
      case "add": {
        if (typeof o.delta !== "number" || !Number.isFinite(o.delta)) return "error:bad-delta";
        const e = this.data.get(o.key);
        const cur = e === undefined ? 0 : e.value;
        if (typeof cur !== "number") return "error:not-a-number";
        const next = cur + o.delta;
        this.set(o.key, next);
        return canonical(next);
      }
      default:
        return "error:bad-op";
    }
  }

  /** Reads a key directly (tests and checkers; not a replicated operation). */
  read(key: string): unknown {
    return this.data.get(key)?.value;
  }

  get size(): number {
    return this.data.size;
  }

  stateDigest(): string {
    return `kv:${this.data.size}:${this.hash.hex()}`;
  }

  snapshot(): KvSnapshot {
    const keys = [...this.data.keys()].sort();
    const entries = keys.map((k) => {
      const e = this.data.get(k)!;
      return [k, e.enc, e.value] as const;
    });
    return Object.freeze({ entries: Object.freeze(entries) });
  }

  /**
   * Replaces the state with a snapshot, which may come from another (possibly Byzantine) replica: the
   * state digest covers keys and encodings only, so a value that does not match its encoding, or a key
   * listed twice, would install state the digest does not vouch for — such a snapshot is refused
   * (TypeError; the replica then keeps its state and asks another replica, §10.2).
   */
  restore(snapshot: unknown): void {
    const snap = snapshot as KvSnapshot;
    let last: string | null = null;
    for (const [k, enc, value] of snap.entries) {
      if (typeof k !== "string" || (last !== null && k <= last) || canonical(value) !== enc) {
        throw new TypeError(`not a KV snapshot: entry ${JSON.stringify(k)} is out of order or its value does not match its encoding`);
      }
      last = k;
    }
    this.data.clear();
    this.hash.reset();
    this.bytes = 0;
    for (const [k, enc, value] of snap.entries) {
      this.data.set(k, { value, enc });
      this.hash.toggle(entryKey(k, enc));
      this.bytes += k.length + enc.length + ENTRY_OVERHEAD;
    }
  }

  snapshotSize(): number {
    return this.bytes;
  }

  private set(key: string, value: unknown): void {
    const enc = canonical(value);
    const old = this.data.get(key);
    if (old !== undefined) {
      this.hash.toggle(entryKey(key, old.enc));
      this.bytes -= key.length + old.enc.length + ENTRY_OVERHEAD;
    }
    this.data.set(key, { value, enc });
    this.hash.toggle(entryKey(key, enc));
    this.bytes += key.length + enc.length + ENTRY_OVERHEAD;
  }
}

function entryKey(key: string, enc: string): string {
  return `${key.length}:${key}=${enc}`;
}
