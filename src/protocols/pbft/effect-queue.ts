// The effects a state machine (replica or client) produced since its host last took them, kept in
// reused batches: a host that applies effects at once takes the current batch (new effects, even ones
// produced while it applies these — a PoT client submits its next report when one is accepted — go to
// another batch), reads its first `count` entries and gives it back, emptied, for reuse. So no array
// is allocated per step (a replica steps about once per delivered message); drain() gives the classic
// fresh array (tests, tools). Same effects, same order either way (test/protocols/pbft/effect-queue
// .test.ts; the worlds' outputs are byte-identical).
// May import: ./messages (types).

import type { ClientEffect, Effect } from "./messages.js";

/** Effects taken together: entries 0 … count − 1 of `items` (later entries are empty). */
export class EffectBatch<E> {
  readonly items: (E | undefined)[] = [];
  count = 0;
}

export class EffectQueue<E extends Effect | ClientEffect = Effect> {
  private current = new EffectBatch<E>();
  /** An emptied batch for the next take (null while one is out and not yet released). */
  private spare: EffectBatch<E> | null = new EffectBatch<E>();

  /** Effects produced and not yet taken. */
  get count(): number {
    return this.current.count;
  }

  push(e: E): void {
    const b = this.current;
    b.items[b.count++] = e;
  }

  /** The effects produced so far; later ones go to another batch. Give the batch back with release(). */
  take(): EffectBatch<E> {
    const b = this.current;
    this.current = this.spare ?? new EffectBatch<E>();
    this.spare = null;
    return b;
  }

  /** Empties a taken batch (no effect or message stays referenced) and keeps it for reuse. */
  release(b: EffectBatch<E>): void {
    for (let i = 0; i < b.count; i++) b.items[i] = undefined;
    b.count = 0;
    if (this.spare === null && b !== this.current) this.spare = b;
  }

  /** The effects not yet taken, as a fresh array. */
  drain(): E[] {
    const b = this.take();
    const out = b.items.slice(0, b.count) as E[];
    this.release(b);
    return out;
  }
}
