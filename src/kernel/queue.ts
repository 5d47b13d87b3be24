// Pending-event store: a 4-ary min-heap on typed arrays ordered by (time, insertion sequence).
// Events live in recycled slots; a handle (slot + generation) lets callers cancel in O(1):
// the slot is marked and its heap entry is dropped when it reaches the top (lazy deletion), and
// the heap is rebuilt without dead entries when they outnumber live ones. Keeping no
// heap-position index saves a random write per level on every sift. Only the payload array
// holds object references, so scheduling allocates nothing once the arrays have grown.

const SLOT_BITS = 24;
const SLOT_MUL = 2 ** SLOT_BITS; // at most 16.7 M pending events
const SLOT_MASK = SLOT_MUL - 1;
const GEN_MASK = 2 ** 28 - 1;
const DEAD = -1;

/** Handle of a scheduled event; pass it to `cancel`. Always > 0. */
export type EventHandle = number;

export class EventQueue {
  // heap arrays, indexed by heap position
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  // slot arrays, indexed by slot id
  private sTarget: Int32Array;
  private sKind: Int32Array; // DEAD once cancelled
  private sGen: Int32Array;
  private sPayload: unknown[];
  private free: Int32Array;
  private freeTop = 0;
  private slotsUsed = 0;
  private n = 0;
  private dead = 0;
  private nextSeq = 0;

  // the event most recently popped
  popTime = 0;
  popTarget = 0;
  popKind = 0;
  popPayload: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity);
    this.hTime = new Float64Array(c);
    this.hSeq = new Float64Array(c);
    this.hSlot = new Int32Array(c);
    this.sTarget = new Int32Array(c);
    this.sKind = new Int32Array(c);
    this.sGen = new Int32Array(c);
    this.sPayload = new Array(c).fill(undefined);
    this.free = new Int32Array(c);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.n - this.dead;
  }

  /** Capacity in events (grows by doubling). */
  get capacity(): number {
    return this.hTime.length;
  }

  /** Bytes held by the typed arrays and the payload pointer array. */
  get bytesAllocated(): number {
    return this.hTime.length * (8 + 8 + 4 + 4 + 4 + 4 + 4 + 8);
  }

  /** Time of the earliest live event (Infinity when none). */
  peekTime(): number {
    this.dropDeadTop();
    return this.n > 0 ? this.hTime[0]! : Number.POSITIVE_INFINITY;
  }

  push(time: number, target: number, kind: number, payload: unknown): EventHandle {
    let slot: number;
    if (this.freeTop > 0) slot = this.free[--this.freeTop]!;
    else {
      if (this.slotsUsed === this.sTarget.length) this.grow();
      slot = this.slotsUsed++;
    }
    if (this.n === this.hTime.length) this.grow();
    this.sTarget[slot] = target;
    this.sKind[slot] = kind;
    this.sPayload[slot] = payload;
    this.siftUp(this.n++, time, this.nextSeq++, slot);
    return this.sGen[slot]! * SLOT_MUL + slot + 1;
  }

  /** Cancels a pending event; false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const h = handle - 1;
    const slot = h & SLOT_MASK;
    const gen = (h - slot) / SLOT_MUL;
    if (slot >= this.slotsUsed || this.sGen[slot] !== gen || this.sKind[slot] === DEAD) return false;
    // A freed slot has a newer generation, so a matching generation means it is pending.
    this.sKind[slot] = DEAD;
    this.sPayload[slot] = undefined;
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.n) this.compact();
    return true;
  }

  /** Removes the earliest live event into pop* fields; false when empty. */
  pop(): boolean {
    return this.popNotAfter(Number.POSITIVE_INFINITY);
  }

  /** Like `pop`, but only if the earliest live event is at or before `limit`. */
  popNotAfter(limit: number): boolean {
    this.dropDeadTop();
    if (this.n === 0 || this.hTime[0]! > limit) return false;
    const slot = this.hSlot[0]!;
    this.popTime = this.hTime[0]!;
    this.popTarget = this.sTarget[slot]!;
    this.popKind = this.sKind[slot]!;
    this.popPayload = this.sPayload[slot];
    this.sPayload[slot] = undefined;
    this.removeTop(slot);
    return true;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.release(this.hSlot[i]!);
    this.n = 0;
    this.dead = 0;
  }

  private dropDeadTop(): void {
    while (this.n > 0) {
      const slot = this.hSlot[0]!;
      if (this.sKind[slot] !== DEAD) return;
      this.dead--;
      this.removeTop(slot);
    }
  }

  private removeTop(slot: number): void {
    this.release(slot);
    const last = --this.n;
    if (last > 0) this.refillRoot(this.hTime[last]!, this.hSeq[last]!, this.hSlot[last]!);
  }

  /**
   * Bottom-up deletion (Floyd): walk the hole at the root down along the smallest children to a
   * leaf without comparing against the moved element, then sift that element up. The last
   * element usually belongs near the bottom, so this saves a comparison per level.
   */
  private refillRoot(t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const n = this.n;
    let pos = 0;
    for (;;) {
      const first = 4 * pos + 1;
      if (first >= n) break;
      let child = first;
      let ct = hTime[first]!;
      let cs = hSeq[first]!;
      const end = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < end; c++) {
        const tc = hTime[c]!;
        if (tc < ct || (tc === ct && hSeq[c]! < cs)) {
          child = c;
          ct = tc;
          cs = hSeq[c]!;
        }
      }
      hTime[pos] = ct;
      hSeq[pos] = cs;
      hSlot[pos] = hSlot[child]!;
      pos = child;
    }
    this.siftUp(pos, t, s, slot);
  }

  private release(slot: number): void {
    this.sGen[slot] = (this.sGen[slot]! + 1) & GEN_MASK;
    this.free[this.freeTop++] = slot;
  }

  /** Drops every cancelled entry and re-heapifies (Floyd, O(n)). */
  private compact(): void {
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const slot = this.hSlot[i]!;
      if (this.sKind[slot] === DEAD) {
        this.release(slot);
        continue;
      }
      this.hTime[k] = this.hTime[i]!;
      this.hSeq[k] = this.hSeq[i]!;
      this.hSlot[k] = slot;
      k++;
    }
    this.n = k;
    this.dead = 0;
    for (let i = (k - 2) >> 2; i >= 0; i--) this.siftDown(i, this.hTime[i]!, this.hSeq[i]!, this.hSlot[i]!);
  }

  private siftUp(pos: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pt = hTime[parent]!;
      if (t > pt || (t === pt && s > hSeq[parent]!)) break;
      hTime[pos] = pt;
      hSeq[pos] = hSeq[parent]!;
      hSlot[pos] = hSlot[parent]!;
      pos = parent;
    }
    hTime[pos] = t;
    hSeq[pos] = s;
    hSlot[pos] = slot;
  }

  private siftDown(pos: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const n = this.n;
    for (;;) {
      const first = 4 * pos + 1;
      if (first >= n) break;
      // smallest of up to four children
      let child = first;
      let ct = hTime[first]!;
      let cs = hSeq[first]!;
      const end = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < end; c++) {
        const tc = hTime[c]!;
        if (tc < ct || (tc === ct && hSeq[c]! < cs)) {
          child = c;
          ct = tc;
          cs = hSeq[c]!;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      hTime[pos] = ct;
      hSeq[pos] = cs;
      hSlot[pos] = hSlot[child]!;
      pos = child;
    }
    hTime[pos] = t;
    hSeq[pos] = s;
    hSlot[pos] = slot;
  }

  private grow(): void {
    const c = this.hTime.length * 2;
    if (c > SLOT_MUL) throw new Error(`event queue capacity exceeded (${SLOT_MUL} pending events)`);
    this.hTime = growF64(this.hTime, c);
    this.hSeq = growF64(this.hSeq, c);
    this.hSlot = growI32(this.hSlot, c);
    this.sTarget = growI32(this.sTarget, c);
    this.sKind = growI32(this.sKind, c);
    this.sGen = growI32(this.sGen, c);
    this.free = growI32(this.free, c);
    const old = this.sPayload.length;
    this.sPayload.length = c;
    this.sPayload.fill(undefined, old);
  }
}

function growF64(a: Float64Array, c: number): Float64Array {
  const b = new Float64Array(c);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, c: number): Int32Array {
  const b = new Int32Array(c);
  b.set(a);
  return b;
}
