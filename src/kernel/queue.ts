// Pending-event store: a 4-ary min-heap on typed arrays ordered by (time, insertion sequence).
// Events live in recycled slots; a handle (slot + generation) lets callers cancel in O(1):
// the slot is marked and its heap entry is dropped when it reaches the top (lazy deletion), and
// the heap is rebuilt without dead entries when they outnumber live ones. Keeping no
// heap-position index saves a random write per level on every sift. Only the payload array
// holds object references, so scheduling allocates nothing once the arrays have grown.
//
// Heap entries are (time, key) pairs in one Float64Array, key = sequence·2^24 + slot: a node's
// four children are 64 contiguous bytes, and comparing keys breaks ties in time without a
// lookup. Positions past the end hold (+Infinity, +Infinity), so every node has four children.
// A pop leaves the root vacant; the next push fills it and sinks (one sift instead of a refill
// plus a sift-up: handlers usually schedule an event), any other operation refills it with the
// last entry first.
//
// V8 inlining: `push` and `popNotAfter` stay small and call `place`, which is too big to inline
// (> 460 bytecodes) and takes no float. So an event loop inlining both the pop and a handler's
// schedule stays within V8's inlining budget, and no float is boxed (allocated) to cross a call.

const SLOT_BITS = 24;
const SLOT_MUL = 2 ** SLOT_BITS; // at most 16.7 M pending events
const SLOT_MASK = SLOT_MUL - 1;
const SEQ_LIMIT = 2 ** (53 - SLOT_BITS); // keys stay exact; then pending sequences are renumbered
const GEN_MASK = 2 ** 28 - 1;
const DEAD = -1; // kind of a cancelled event
const FREE = -2; // kind of an unused slot
// Positions past the end, all +Infinity: children of the last node, the staging position, and
// the grandchildren that `place` loads early (up to 11 past the end).
const PAD = 12;
const prefetchSink = new Float64Array(1); // keeps the early loads in `place` from being dead code
const INF = Number.POSITIVE_INFINITY;
// Heap positions below this (8 levels, 350 KB) pick the smallest child without branches: they
// stay in cache, and a random comparison mispredicts half the time. Deeper levels miss the
// cache, and there branches win: the CPU speculates down the likely child while loads are out.
const DEEP = 2 * 21845;

/** Handle of a scheduled event; pass it to `cancel`. Always > 0. */
export type EventHandle = number;

export class EventQueue {
  // heap: [time, key] at index 2·position
  private heap: Float64Array;
  // slot arrays, indexed by slot id
  private sTarget: Int32Array;
  private sKind: Int32Array; // DEAD once cancelled, FREE when unused
  private sGen: Int32Array;
  private sPayload: unknown[];
  private free: Int32Array; // stack of unused slots
  private freeTop = 0;
  private n = 0; // heap positions in use, counting a vacant root
  private hole = false; // the root was vacated by a pop and not refilled yet
  private dead = 0;
  private nextSeq = 0;

  // the event most recently popped
  popTime = 0;
  popTarget = 0;
  popKind = 0;
  popPayload: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const c = Math.max(16, initialCapacity);
    this.heap = new Float64Array(2 * (c + PAD)).fill(INF);
    this.sTarget = new Int32Array(c);
    this.sKind = new Int32Array(c);
    this.sGen = new Int32Array(c);
    this.sPayload = new Array(c).fill(undefined);
    this.free = new Int32Array(c);
    this.addFreeSlots(0, c);
  }

  /** Live (not cancelled) pending events. */
  get size(): number {
    return this.n - (this.hole ? 1 : 0) - this.dead;
  }

  /** Capacity in events (grows by doubling). */
  get capacity(): number {
    return this.sTarget.length;
  }

  /** Bytes held by the typed arrays and the payload pointer array. */
  get bytesAllocated(): number {
    return this.heap.length * 8 + this.sTarget.length * (4 + 4 + 4 + 4 + 8);
  }

  /** Time of the earliest live event (Infinity when none). */
  peekTime(): number {
    if (this.hole || this.dead > 0) this.settleRoot();
    return this.n > 0 ? this.heap[0]! : INF;
  }

  push(time: number, target: number, kind: number, payload: unknown): EventHandle {
    if (this.freeTop === 0) this.grow();
    const slot = this.free[--this.freeTop]!;
    this.sTarget[slot] = target;
    this.sKind[slot] = kind;
    this.sPayload[slot] = payload;
    // staged just past the end; `place` moves it into the vacant root or appends it
    const e = 2 * this.n;
    this.heap[e] = time;
    this.heap[e + 1] = this.nextSeq++ * SLOT_MUL + slot;
    this.place();
    return this.sGen[slot]! * SLOT_MUL + slot + 1;
  }

  /** Cancels a pending event; false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const h = handle - 1;
    const slot = h & SLOT_MASK;
    const gen = (h - slot) / SLOT_MUL;
    if (slot >= this.sKind.length || this.sGen[slot] !== gen || this.sKind[slot]! < 0) return false;
    this.sKind[slot] = DEAD;
    this.sPayload[slot] = undefined;
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.n) this.compact();
    return true;
  }

  /** Removes the earliest live event into pop* fields; false when empty. */
  pop(): boolean {
    return this.popNotAfter(INF);
  }

  /** Like `pop`, but only if the earliest live event is at or before `limit`. */
  popNotAfter(limit: number): boolean {
    if (this.hole || this.dead > 0) this.settleRoot();
    const h = this.heap;
    if (this.n === 0 || h[0]! > limit) return false;
    const slot = slotOf(h[1]!);
    this.popTime = h[0]!;
    this.popTarget = this.sTarget[slot]!;
    this.popKind = this.sKind[slot]!;
    this.popPayload = this.sPayload[slot];
    this.release(slot);
    this.hole = true;
    return true;
  }

  clear(): void {
    if (this.hole) this.fillHole();
    for (let i = 0; i < this.n; i++) this.release(slotOf(this.heap[2 * i + 1]!));
    this.heap.fill(INF, 0, 2 * this.n);
    this.n = 0;
    this.dead = 0;
  }

  /** Refills a vacant root and drops cancelled entries from the top. */
  private settleRoot(): void {
    if (this.hole) this.fillHole();
    while (this.n > 0 && this.sKind[slotOf(this.heap[1]!)] === DEAD) {
      this.dead--;
      this.release(slotOf(this.heap[1]!));
      this.fillHole();
    }
  }

  /** Moves the last entry into the (vacant) root and sinks it. */
  private fillHole(): void {
    this.hole = true;
    if (--this.n > 0) this.place(); // the last entry is now the staged one
    else {
      this.hole = false;
      this.heap[0] = INF;
      this.heap[1] = INF;
    }
  }

  /**
   * Puts the entry staged just past the end into the heap: into the vacant root if there is one,
   * else at the end, and restores heap order. The root sinks by bottom-up deletion (Floyd): the
   * hole walks down along the smallest children to a leaf without comparing against the entry,
   * which then rises like a new leaf. Entries mostly belong near the bottom, so this saves a
   * comparison per level.
   */
  private place(): void {
    const h = this.heap;
    let i = 2 * this.n;
    const t = h[i]!;
    const key = h[i + 1]!;
    if (this.hole) {
      this.hole = false;
      h[i] = INF;
      h[i + 1] = INF;
      i = 0;
      const end = 2 * this.n;
      let prefetched = 0;
      for (;;) {
        const first = 4 * i + 2;
        if (first >= end) break;
        // Load a word per cache line of the 16 grandchildren now (JS has no prefetch): their
        // misses then overlap with choosing among the children (~10% at 160 k pending events).
        const g = 4 * first + 2;
        if (g < end) prefetched += h[g]! + h[g + 8]! + h[g + 16]! + h[g + 24]!;
        let child = first;
        if (first >= DEEP) {
          // written out: an out-of-line minChild here costs ~10% at 160 k pending events
          let ct = h[first]!;
          const last = first + 8 < end ? first + 8 : end;
          for (let c = first + 2; c < last; c += 2) {
            const tc = h[c]!;
            if (tc < ct || (tc === ct && h[c + 1]! < h[child + 1]!)) {
              child = c;
              ct = tc;
            }
          }
          h[i] = ct;
          h[i + 1] = h[child + 1]!;
          i = child;
          continue;
        }
        // Smallest child by a pairwise tournament on 0/1 flags.
        const t0 = h[first]!;
        const t1 = h[first + 2]!;
        const t2 = h[first + 4]!;
        const t3 = h[first + 6]!;
        let a = first + (+(t1 < t0) << 1);
        let b = first + 4 + (+(t3 < t2) << 1);
        let ta = h[a]!;
        let tb = h[b]!;
        child = a + +(tb < ta) * (b - a);
        if (t0 === t1 || t2 === t3 || ta === tb) {
          // some times are equal: the same tournament on (time, key)
          a = first + ((+(t1 < t0) | (+(t1 === t0) & +(h[first + 3]! < h[first + 1]!))) << 1);
          b = first + 4 + ((+(t3 < t2) | (+(t3 === t2) & +(h[first + 7]! < h[first + 5]!))) << 1);
          ta = h[a]!;
          tb = h[b]!;
          child = a + (+(tb < ta) | (+(tb === ta) & +(h[b + 1]! < h[a + 1]!))) * (b - a);
        }
        h[i] = h[child]!;
        h[i + 1] = h[child + 1]!;
        i = child;
      }
      prefetchSink[0] = prefetched;
    } else this.n++;
    while (i > 0) {
      const parent = ((i - 2) >> 3) << 1;
      const pt = h[parent]!;
      if (t > pt || (t === pt && key > h[parent + 1]!)) break;
      h[i] = pt;
      h[i + 1] = h[parent + 1]!;
      i = parent;
    }
    h[i] = t;
    h[i + 1] = key;
    if (this.nextSeq === SEQ_LIMIT) this.renumber();
  }

  /** Index of the smallest of the children starting at `first`, by (time, key). */
  private minChild(first: number, end: number): number {
    const h = this.heap;
    let child = first;
    let ct = h[first]!;
    const last = first + 8 < end ? first + 8 : end;
    for (let c = first + 2; c < last; c += 2) {
      const tc = h[c]!;
      if (tc < ct || (tc === ct && h[c + 1]! < h[child + 1]!)) {
        child = c;
        ct = tc;
      }
    }
    return child;
  }

  /** Frees a slot: drops its payload, and the new generation invalidates its handles. */
  private release(slot: number): void {
    this.sKind[slot] = FREE;
    this.sPayload[slot] = undefined;
    this.sGen[slot] = (this.sGen[slot]! + 1) & GEN_MASK;
    this.free[this.freeTop++] = slot;
  }

  /** Pushes slots [from, to) on the free stack, lowest on top. */
  private addFreeSlots(from: number, to: number): void {
    for (let slot = to - 1; slot >= from; slot--) {
      this.sKind[slot] = FREE;
      this.free[this.freeTop++] = slot;
    }
  }

  /** Drops every cancelled entry and re-heapifies (Floyd, O(n)). */
  private compact(): void {
    if (this.hole) this.fillHole();
    const h = this.heap;
    const end = 2 * this.n;
    let k = 0;
    for (let i = 0; i < end; i += 2) {
      const key = h[i + 1]!;
      const slot = slotOf(key);
      if (this.sKind[slot] === DEAD) {
        this.release(slot);
        continue;
      }
      h[k] = h[i]!;
      h[k + 1] = key;
      k += 2;
    }
    h.fill(INF, k, end);
    this.n = k / 2;
    this.dead = 0;
    for (let p = (this.n - 2) >> 2; p >= 0; p--) this.siftDown(2 * p);
  }

  /** Moves the entry at index `i` (2·position) down to its place (heapify only). */
  private siftDown(i: number): void {
    const h = this.heap;
    const end = 2 * this.n;
    const t = h[i]!;
    const key = h[i + 1]!;
    for (;;) {
      const first = 4 * i + 2;
      if (first >= end) break;
      const child = this.minChild(first, end);
      const ct = h[child]!;
      if (t < ct || (t === ct && key < h[child + 1]!)) break;
      h[i] = ct;
      h[i + 1] = h[child + 1]!;
      i = child;
    }
    h[i] = t;
    h[i + 1] = key;
  }

  /**
   * Renumbers the pending sequences 0, 1, ... in their order once the counter reaches SEQ_LIMIT
   * (every 5·10^8 pushes). Order-preserving, so the heap stays valid and ties keep their order.
   */
  private renumber(): void {
    const h = this.heap;
    const keys = Array.from({ length: this.n }, (_, p) => 2 * p + 1); // no vacant root here
    keys.sort((x, y) => h[x]! - h[y]!);
    keys.forEach((k, seq) => {
      h[k] = seq * SLOT_MUL + slotOf(h[k]!);
    });
    this.nextSeq = this.n;
  }

  /** Doubles every array; called when no slot is free, so every old slot is in use. */
  private grow(): void {
    const old = this.sTarget.length;
    const c = old * 2;
    if (c > SLOT_MUL) throw new Error(`event queue capacity exceeded (${SLOT_MUL} pending events)`);
    const heap = new Float64Array(2 * (c + PAD)).fill(INF);
    heap.set(this.heap.subarray(0, 2 * this.n));
    this.heap = heap;
    this.sTarget = growI32(this.sTarget, c);
    this.sKind = growI32(this.sKind, c);
    this.sGen = growI32(this.sGen, c);
    this.free = new Int32Array(c);
    this.sPayload.length = c;
    this.sPayload.fill(undefined, old);
    this.addFreeSlots(old, c);
  }
}

function growI32(a: Int32Array, c: number): Int32Array {
  const b = new Int32Array(c);
  b.set(a);
  return b;
}

/** The slot in a heap key (sequence·2^24 + slot). */
function slotOf(key: number): number {
  return key - Math.floor(key / SLOT_MUL) * SLOT_MUL;
}
