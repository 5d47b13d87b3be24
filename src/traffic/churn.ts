// traffic/churn: resource nodes alternate exponential up and down periods. The world either
// schedules each node's transitions itself (initialState, nextTransition, flip) or, in the
// aggregated mode, steps all nodes to a time with advanceTo (same law, no kernel events).
// May import: kernel (Stream), ./config.

import type { Stream } from "../kernel/index.js";
import type { ChurnConfig } from "./config.js";

export class Churn {
  private readonly up: Uint8Array;
  /** Per node: when its current period ends (NaN until nextTransition was drawn). */
  private readonly nextAt: Float64Array;
  /** A bound predicate for Catalog and TrafficModel calls. */
  readonly online = (node: number): boolean => this.up[node] === 1;

  constructor(
    readonly config: ChurnConfig,
    readonly nodes: number,
  ) {
    for (const [k, v] of Object.entries(config)) {
      if (!(v > 0) || !Number.isFinite(v)) throw new Error(`churn ${k} must be finite and > 0, got ${v}`);
    }
    this.up = new Uint8Array(nodes).fill(1);
    this.nextAt = new Float64Array(nodes).fill(Number.NaN);
  }

  /** Long-run fraction of time a node is up. */
  get upFraction(): number {
    return this.config.meanUp / (this.config.meanUp + this.config.meanDown);
  }

  /** Draws and records a node's state from the stationary distribution (up with probability upFraction). */
  initialState(node: number, rng: Stream): boolean {
    const up = rng.bernoulli(this.upFraction);
    this.up[node] = up ? 1 : 0;
    return up;
  }

  isUp(node: number): boolean {
    return this.up[node] === 1;
  }

  /**
   * When the node's current period ends, drawn at `now` (exponential, so the remaining time
   * is a full period whatever its age). The caller flips the node at that time.
   */
  nextTransition(node: number, now: number, rng: Stream): number {
    const at = now + rng.exponential(this.up[node] ? this.config.meanUp : this.config.meanDown);
    this.nextAt[node] = at;
    return at;
  }

  /** Toggles the node; returns the new state (true = up). */
  flip(node: number): boolean {
    this.up[node] ^= 1;
    return this.up[node] === 1;
  }

  /** Stationary initial states and first transitions for every node, from one stream. */
  initAll(now: number, rng: Stream): void {
    for (let n = 0; n < this.nodes; n++) {
      this.initialState(n, rng);
      this.nextTransition(n, now, rng);
    }
  }

  /** Applies every transition at or before t, node by node in id order (call initAll first). */
  advanceTo(t: number, rng: Stream): void {
    for (let n = 0; n < this.nodes; n++) {
      if (Number.isNaN(this.nextAt[n]!)) throw new Error(`churn node ${n} has no pending transition; call initAll first`);
      while (this.nextAt[n]! <= t) {
        this.flip(n);
        this.nextTransition(n, this.nextAt[n]!, rng);
      }
    }
  }
}
