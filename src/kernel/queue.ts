// Pending-event store: a 4-ary min-heap on typed arrays ordered by (time, insertion sequence).
// Events live in recycled slots; a handle (slot + generation) lets callers cancel in O(log n)
// without scanning. Only the payload array holds object references, so scheduling allocates
// nothing once the arrays have grown.

const SLOT_BITS = 24;
const SLOT_MUL = 2 ** SLOT_BITS; // at most 16.7 M pending events
const SLOT_MASK = SLOT_MUL - 1;
const GEN_LIMIT = 2 ** 28;

/** Handle of a scheduled event; pass it to `cancel`. Always > 0. */
export type EventHandle = number;

export class EventQueue {
  // heap arrays, indexed by heap position
  private hTime: Float64Array;
  private hSeq: Float64Array;
  private hSlot: Int32Array;
  // slot arrays, indexed by slot id
  private sTarget: Int32Array;
  private sKind: Int32Array;
  private sPos: Int32Array; // heap position, or -1 when free
  private sGen: Int32Array;
  private sPayload: unknown[];
  private free: Int32Array;
  private freeTop = 0;
  private slotsUsed = 0;
  private n = 0;
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
    this.sPos = new Int32Array(c).fill(-1);
    this.sGen = new Int32Array(c);
    this.sPayload = new Array(c).fill(undefined);
    this.free = new Int32Array(c);
  }

  get size(): number {
    return this.n;
  }

  /** Capacity in events (grows by doubling). */
  get capacity(): number {
    return this.hTime.length;
  }

  /** Bytes held by the typed arrays and the payload pointer array. */
  get bytesAllocated(): number {
    const c = this.hTime.length;
    return c * (8 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 8);
  }

  peekTime(): number {
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
    const seq = this.nextSeq++;
    this.siftUp(this.n++, time, seq, slot);
    return this.sGen[slot]! * SLOT_MUL + slot + 1;
  }

  /** Removes a pending event; false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const h = handle - 1;
    const slot = h & SLOT_MASK;
    const gen = Math.floor(h / SLOT_MUL);
    if (slot >= this.slotsUsed || this.sGen[slot] !== gen) return false;
    const pos = this.sPos[slot]!;
    if (pos < 0) return false;
    this.releaseSlot(slot);
    const last = --this.n;
    if (pos !== last) {
      const t = this.hTime[last]!;
      const s = this.hSeq[last]!;
      const sl = this.hSlot[last]!;
      if (pos > 0 && less(t, s, this.hTime[(pos - 1) >> 2]!, this.hSeq[(pos - 1) >> 2]!)) {
        this.siftUp(pos, t, s, sl);
      } else {
        this.siftDown(pos, t, s, sl);
      }
    }
    return true;
  }

  /** Removes the earliest event into pop* fields; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const slot = this.hSlot[0]!;
    this.popTime = this.hTime[0]!;
    this.popTarget = this.sTarget[slot]!;
    this.popKind = this.sKind[slot]!;
    this.popPayload = this.sPayload[slot];
    this.releaseSlot(slot);
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.hTime[last]!, this.hSeq[last]!, this.hSlot[last]!);
    return true;
  }

  clear(): void {
    for (let i = 0; i < this.n; i++) this.releaseSlot(this.hSlot[i]!);
    this.n = 0;
  }

  private releaseSlot(slot: number): void {
    this.sPos[slot] = -1;
    this.sPayload[slot] = undefined;
    this.sGen[slot] = (this.sGen[slot]! + 1) & (GEN_LIMIT - 1);
    this.free[this.freeTop++] = slot;
  }

  private siftUp(pos: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const sPos = this.sPos;
    while (pos > 0) {
      const parent = (pos - 1) >> 2;
      const pt = hTime[parent]!;
      if (t > pt || (t === pt && s > hSeq[parent]!)) break;
      hTime[pos] = pt;
      hSeq[pos] = hSeq[parent]!;
      const ps = hSlot[parent]!;
      hSlot[pos] = ps;
      sPos[ps] = pos;
      pos = parent;
    }
    hTime[pos] = t;
    hSeq[pos] = s;
    hSlot[pos] = slot;
    sPos[slot] = pos;
  }

  private siftDown(pos: number, t: number, s: number, slot: number): void {
    const hTime = this.hTime;
    const hSeq = this.hSeq;
    const hSlot = this.hSlot;
    const sPos = this.sPos;
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
      const cslot = hSlot[child]!;
      hSlot[pos] = cslot;
      sPos[cslot] = pos;
      pos = child;
    }
    hTime[pos] = t;
    hSeq[pos] = s;
    hSlot[pos] = slot;
    sPos[slot] = pos;
  }

  private grow(): void {
    const c = this.hTime.length * 2;
    if (c > SLOT_MUL) throw new Error(`event queue capacity exceeded (${SLOT_MUL} pending events)`);
    this.hTime = growF64(this.hTime, c);
    this.hSeq = growF64(this.hSeq, c);
    this.hSlot = growI32(this.hSlot, c);
    this.sTarget = growI32(this.sTarget, c);
    this.sKind = growI32(this.sKind, c);
    const pos = new Int32Array(c).fill(-1);
    pos.set(this.sPos);
    this.sPos = pos;
    this.sGen = growI32(this.sGen, c);
    this.free = growI32(this.free, c);
    const old = this.sPayload.length;
    this.sPayload.length = c;
    this.sPayload.fill(undefined, old);
  }
}

function less(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 < s2);
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
