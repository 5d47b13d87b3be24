// Reward maturity (spec §7): moves the immature reward blocks whose key ≤ E_last into the wallets'
// matured totals, deducting slashing debt to the community pool first. Two drivers: matureDue (implicit
// block mode: everything due, at once, at the end of the volume report that makes it due) and
// matureInEndBlock (explicit block mode: the chain's EndBlocker, with its MatureCountPerBlock throttle).

import type { WalletBook } from "./book.js";
import { fromLimbs, LIMB_BASE, toLimbs } from "./fast/limbs.js";
import { HandleMarks } from "./fast/marks.js";
import type { LedgerState, RewardBlock } from "./state.js";

/**
 * A block's wallet entries as the chain stores them: one individual(w, key) record per distinct wallet
 * (a wallet paid as a resource wallet and as one or more meta nodes' wallet has one summed entry), in
 * address order (the store iterates individual rewards of a key by wallet address).
 */
interface BlockEntries {
  readonly h: Int32Array;
  readonly hi: Float64Array;
  readonly lo: Float64Array;
}

/**
 * Blocks are immutable and shared by the replicas of a world: their entries are computed once, in the
 * world's memo (PotSharedCache.maturity). `marks` is the scratch (by wallet handle) that merges a
 * block's resource and meta parts.
 */
export class MaturityMemo {
  readonly entries = new WeakMap<RewardBlock, BlockEntries>();
  readonly counts = new WeakMap<RewardBlock, number>();
  readonly marks: HandleMarks;

  /** @param marks the world's handle marks (fast/memory.ts) or, by default, this memo's own. */
  constructor(marks: HandleMarks = new HandleMarks()) {
    this.marks = marks;
  }
}

function maxHandle(b: RewardBlock): number {
  let m = -1;
  for (let i = 0; i < b.idx.length; i++) if (b.idx[i]! > m) m = b.idx[i]!;
  for (let i = 0; i < b.metaIdx.length; i++) if (b.metaIdx[i]! > m) m = b.metaIdx[i]!;
  return m;
}

/** Number of wallet entries of a block (distinct wallets). */
export function entryCount(b: RewardBlock, memo: MaturityMemo): number {
  let c = memo.counts.get(b);
  if (c === undefined) {
    const marks = memo.marks;
    const g = marks.begin(maxHandle(b) + 1);
    const stamp = marks.stamp;
    for (let i = 0; i < b.idx.length; i++) stamp[b.idx[i]!] = g;
    c = b.idx.length;
    for (let i = 0; i < b.metaIdx.length; i++) {
      const h = b.metaIdx[i]!;
      if (stamp[h] !== g) {
        stamp[h] = g;
        c++;
      }
    }
    memo.counts.set(b, c);
  }
  return c;
}

/** The block's wallet entries in address order (see BlockEntries). `book` is the book of the block's handles. */
function blockEntries(b: RewardBlock, book: WalletBook, memo: MaturityMemo): BlockEntries {
  let e = memo.entries.get(b);
  if (e) return e;
  const n0 = b.idx.length;
  const cap = n0 + b.metaIdx.length;
  const hs = new Int32Array(cap);
  const his = new Float64Array(cap);
  const los = new Float64Array(cap);
  const marks = memo.marks;
  const g = marks.begin(maxHandle(b) + 1);
  const { stamp, pos } = marks;
  const { totHi, totLo } = b.limbs;
  for (let d = 0; d < n0; d++) {
    const h = b.idx[d]!;
    stamp[h] = g;
    pos[h] = d;
    hs[d] = h;
    his[d] = totHi[d]!;
    los[d] = totLo[d]!;
  }
  let n = n0;
  const metaAmount = b.metaMining + b.metaPaid;
  const [mh, ml] = toLimbs(metaAmount);
  for (let i = 0; i < b.metaIdx.length; i++) {
    const h = b.metaIdx[i]!;
    let k: number;
    if (stamp[h] === g) k = pos[h]!;
    else {
      stamp[h] = g;
      k = n++;
      pos[h] = k;
      hs[k] = h;
    }
    const lo = los[k]! + ml;
    const c = +(lo >= LIMB_BASE);
    los[k] = lo - c * LIMB_BASE;
    his[k] = his[k]! + mh + c;
  }
  // Sort by address rank; ranks are distinct, so the book's sorted list maps a rank back to its handle.
  const { sorted, rank } = book.addressOrder();
  const ranks = new Int32Array(n);
  for (let k = 0; k < n; k++) ranks[k] = rank[hs[k]!]!;
  ranks.sort();
  const h = new Int32Array(n);
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const w = sorted[ranks[j]!]!;
    const k = pos[w]!;
    h[j] = w;
    hi[j] = his[k]!;
    lo[j] = los[k]!;
  }
  e = { h, hi, lo };
  memo.entries.set(b, e);
  memo.counts.set(b, n);
  return e;
}

/** Position of wallet handle `w` among a block's entries in address order, or −1. */
export function entryPosition(b: RewardBlock, book: WalletBook, w: number, memo: MaturityMemo): number {
  return blockEntries(b, book, memo).h.indexOf(w);
}

/**
 * Implicit block mode: matures every pending block with key ≤ E_last, all wallets at once (what the
 * chain's EndBlockers do over enough blocks). Returns how many blocks (keys) matured.
 */
export function matureDue(s: LedgerState, book: WalletBook, memo: MaturityMemo): number {
  let count = 0;
  while (s.pendingHead < s.pending.length && s.pending[s.pendingHead]!.key <= s.lastEpoch) {
    finishHead(s, book, memo);
    count++;
  }
  compact(s);
  return count;
}

/** What one EndBlocker's maturity did. */
export interface EndBlockMaturity {
  /** Wallet entries matured in this block. */
  readonly entries: number;
  /** Keys fully matured in this block (E_mat advanced past them). */
  readonly keys: number;
  /** Slashing debt repaid to the community pool out of the maturing rewards. */
  readonly deductedWei: bigint;
}

/**
 * Explicit block mode: the chain's `RewardMatureAndSubSlashing`, run in each EndBlocker. It walks the
 * due keys E_mat+1 … E_last in order and, within a key, the wallet entries in address order; each
 * processed entry matures (debt deducted first) and is deleted. Entries of keys older than E_last are
 * always processed; inside the newest key (key = E_last) processing stops before the next entry once
 * `limit` (MatureCountPerBlock) entries have been processed in this block, counting the older keys'
 * entries too, and the key's remaining entries resume in the next block's EndBlocker (then possibly as
 * an older key, processed in full, if a report raised E_last meanwhile). E_mat advances to a key only
 * when its last entry has matured.
 */
export function matureInEndBlock(s: LedgerState, book: WalletBook, limit: number, memo: MaturityMemo): EndBlockMaturity {
  let entries = 0;
  let keys = 0;
  const community0 = s.pools.communityPool;
  while (s.pendingHead < s.pending.length) {
    const b = s.pending[s.pendingHead]!;
    if (b.key > s.lastEpoch) break;
    const remaining = entryCount(b, memo) - s.headCursor;
    const budget = limit - entries;
    if (b.key === s.lastEpoch && remaining > budget) {
      if (budget > 0) {
        const e = blockEntries(b, book, memo);
        s.headMatured += matureEntries(s, e, s.headCursor, s.headCursor + budget);
        s.headCursor += budget;
        entries += budget;
      }
      break;
    }
    finishHead(s, book, memo);
    entries += remaining;
    keys++;
  }
  compact(s);
  return { entries, keys, deductedWei: s.pools.communityPool - community0 };
}

/** Matures what is left of the head block and pops it (E_mat = its key, as every block has entries). */
function finishHead(s: LedgerState, book: WalletBook, memo: MaturityMemo): void {
  const b = s.pending[s.pendingHead]!;
  if (s.headCursor === 0) matureBlock(s, b);
  else {
    const e = blockEntries(b, book, memo);
    matureEntries(s, e, s.headCursor, e.h.length);
    s.headCursor = 0;
    s.headMatured = 0n;
  }
  s.maturedEpoch = b.key;
  s.pendingHead++;
}

function compact(s: LedgerState): void {
  if (s.pendingHead > 256 && s.pendingHead * 2 > s.pending.length) {
    s.pending = s.pending.slice(s.pendingHead);
    s.pendingHead = 0;
  }
}

/** A whole block at once (the common case: a bulk limb pass when no wallet owes anything). */
function matureBlock(s: LedgerState, b: RewardBlock): void {
  const { totHi, totLo } = b.limbs;
  const { immature: im, mature: ma, debts } = s;
  const hasDebt = debts.size > 0;
  let deducted = 0n;
  if (!hasDebt) {
    im.moveAll(ma, b.idx, totHi, totLo);
  } else {
    for (let d = 0; d < b.idx.length; d++) {
      const h = b.idx[d]!;
      if (debts.has(h)) {
        deducted += matureWithDebt(s, h, fromLimbs(totHi[d]!, totLo[d]!));
        continue;
      }
      ma.add(h, totHi[d]!, totLo[d]!);
      im.sub(h, totHi[d]!, totLo[d]!);
    }
  }
  const metaAmount = b.metaMining + b.metaPaid;
  if (metaAmount > 0n) {
    const [mh, ml] = toLimbs(metaAmount);
    for (const h of b.metaIdx) {
      if (hasDebt && debts.has(h)) {
        deducted += matureWithDebt(s, h, metaAmount);
        continue;
      }
      ma.add(h, mh, ml);
      im.sub(h, mh, ml);
    }
  }
  s.immatureTotal -= b.total;
  s.matureTotal += b.total - deducted;
  s.pools.rewardPool -= deducted;
  s.pools.communityPool += deducted;
}

/** Entries [from, to) of a block in address order; returns their total amount. */
function matureEntries(s: LedgerState, e: BlockEntries, from: number, to: number): bigint {
  const { immature: im, mature: ma, debts } = s;
  const hasDebt = debts.size > 0;
  let sumHi = 0;
  let sumLo = 0;
  let deducted = 0n;
  for (let j = from; j < to; j++) {
    const h = e.h[j]!;
    const hi = e.hi[j]!;
    const lo = e.lo[j]!;
    sumLo += lo;
    const c = +(sumLo >= LIMB_BASE);
    sumLo -= c * LIMB_BASE;
    sumHi += hi + c;
    if (hasDebt && debts.has(h)) {
      deducted += matureWithDebt(s, h, fromLimbs(hi, lo));
      continue;
    }
    ma.add(h, hi, lo);
    im.sub(h, hi, lo);
  }
  const amount = fromLimbs(sumHi, sumLo);
  s.immatureTotal -= amount;
  s.matureTotal += amount - deducted;
  s.pools.rewardPool -= deducted;
  s.pools.communityPool += deducted;
  return amount;
}

/** `DeductSlashing` on a maturing amount: min(debt, amount) leaves the reward pool for the community pool. */
function matureWithDebt(s: LedgerState, h: number, amount: bigint): bigint {
  const debt = s.debts.get(h)!;
  const ded = debt < amount ? debt : amount;
  if (debt === ded) s.debts.delete(h);
  else s.debts.set(h, debt - ded);
  s.mature.set(h, s.mature.get(h) + amount - ded);
  s.immature.set(h, s.immature.get(h) - amount);
  return ded;
}
