// Digests: a fast deterministic 64-bit hash over canonical strings (the simulator assumes it is
// collision resistant), canonical encoding of operations, request and batch digests, and
// verification of immutable request / pre-prepare objects, memoised in a DigestMemo that the
// replicas and clients of one world share (no state at module level: every function is pure, or
// writes only the memo it is given).

import crypto from "node:crypto";
import { NULL_DIGEST, type Request } from "./types.js";
import type { SignedCheckpoints } from "./signatures.js";

/**
 * 64-bit hash of a string as 16 lowercase hex digits (two independent 32-bit lanes). The same mixing
 * as SetHash's per-key lanes and hashPieces (kept inline in each: returning two lanes without
 * allocating would need state shared between calls).
 */
export function hashString(s: string): string {
  let h1 = 0x9e3779b9 | 0;
  let h2 = 0x85ebca6b ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = fmix(h1 ^ h2);
  h2 = fmix(h2 ^ h1);
  return hex64(h1, h2);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Char codes of the hex digits: a constant table, read-only by type (not frozen: reads of a frozen array measured ~3× slower in hex64). */
const HEX: ReadonlyArray<number> = Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/**
 * The two lanes as 16 lowercase hex digits, built as one flat string: concatenating two 8-digit halves
 * makes a cons string (three heap objects), and PBFT keeps many digests for a long time.
 */
function hex64(a: number, b: number): string {
  return String.fromCharCode(
    HEX[(a >>> 28) & 15]!,
    HEX[(a >>> 24) & 15]!,
    HEX[(a >>> 20) & 15]!,
    HEX[(a >>> 16) & 15]!,
    HEX[(a >>> 12) & 15]!,
    HEX[(a >>> 8) & 15]!,
    HEX[(a >>> 4) & 15]!,
    HEX[a & 15]!,
    HEX[(b >>> 28) & 15]!,
    HEX[(b >>> 24) & 15]!,
    HEX[(b >>> 20) & 15]!,
    HEX[(b >>> 16) & 15]!,
    HEX[(b >>> 12) & 15]!,
    HEX[(b >>> 8) & 15]!,
    HEX[(b >>> 4) & 15]!,
    HEX[b & 15]!,
  );
}

/** sha256 hex: Node ≥ 20.12's one-shot crypto.hash when present (a third of createHash's cost on short inputs). */
const sha256Hex: (data: Uint8Array) => string =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("sha256", data, "hex")
    : (data) => crypto.createHash("sha256").update(data).digest("hex");

/**
 * What the replicas and clients of one world have already computed about immutable objects: the
 * canonical text of byte arrays, the requests whose digest verified, and each pre-prepare (or other
 * batch holder) whose batch verified against its digest. Messages and requests never change once
 * emitted, so an answer for an object never changes: the memo only saves work and cannot alter
 * behaviour. One per world (world/pbft's hosts make it), handed to every Replica and Client; it also
 * carries the world's signature oracle (see the constructor).
 */
export class DigestMemo {
  /** Canonical text of each byte array (byte payloads are immutable once in an op, like the ops). */
  readonly bytesText = new WeakMap<Uint8Array, string>();
  readonly verifiedRequests = new WeakSet<Request>();
  readonly verifiedBatches = new WeakMap<object, string>();

  /**
   * @param signatures the world's signature oracle for embedded CHECKPOINT messages (signatures.ts);
   * unlike the memo above it decides what verifies. Null (drivers without hosts, such as unit tests):
   * a proof's CHECKPOINTs are trusted by the ids they carry.
   */
  constructor(readonly signatures: SignedCheckpoints | null = null) {}
}

/**
 * A byte array (e.g. a PoT report's list payload) enters canonical text as `bytes:<length>:<sha256 hex>`:
 * its content is covered by a cryptographic hash computed natively, a few times faster than hashing the
 * bytes as text in this module's hash loop (and no text copy of them is built).
 */
function canonicalBytes(b: Uint8Array, memo: DigestMemo | undefined): string {
  let t = memo?.bytesText.get(b);
  if (t === undefined) {
    t = `bytes:${b.length}:${sha256Hex(b)}`;
    memo?.bytesText.set(b, t);
  }
  return t;
}

/**
 * Deterministic encoding: object keys sorted, no whitespace, -0 as 0, bigint as `123n`, byte arrays by
 * length and sha256 (their text memoised in `memo`, when given).
 */
export function canonical(value: unknown, memo?: DigestMemo): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) ? "0" : Number.isFinite(value) ? String(value) : `"${String(value)}"`;
    case "bigint":
      return `${value}n`;
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "undefined";
    case "object": {
      if (value === null) return "null";
      if (value instanceof Uint8Array) return canonicalBytes(value, memo);
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + canonical(value[i], memo);
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      const keys = sortedKeys(obj);
      let out = "{";
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out += `${i > 0 ? "," : ""}${JSON.stringify(k)}:${canonical(obj[k], memo)}`;
      }
      return `${out}}`;
    }
    default:
      throw new Error(`pbft: cannot canonicalise a ${typeof value}`);
  }
}

/**
 * Object.keys(obj).sort(): in place by insertion for the usual handful of keys (the same order:
 * both compare UTF-16 code units, and keys are distinct), without sort's scratch arrays.
 */
function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 32) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i;
    for (; j > 0 && keys[j - 1]! > k; j--) keys[j] = keys[j - 1]!;
    keys[j] = k;
  }
  return keys;
}

/** Digest of a request: covers (client, timestamp, op). */
export function requestDigest(client: number, timestamp: number, op: unknown, memo?: DigestMemo): string {
  // hashString(`R|${client}|${timestamp}|${canonical(op)}`), hashed piece by piece: ops can be large
  // (PoT volume reports), and building then flattening their canonical text costs more than hashing it.
  // String values are hashed as "…" and checked on the way; one that JSON.stringify would escape
  // (rare) sends the whole digest to the plain path.
  const pieces = [`R|${client}|${timestamp}|`];
  const raw: number[] = [];
  canonicalPieces(op, pieces, raw, memo);
  return hashPieces(pieces, raw) ?? hashString(`R|${client}|${timestamp}|${canonical(op, memo)}`);
}

/** Appends the pieces whose concatenation is canonical(value), noting the indices of raw strings (same traversal, same errors). */
function canonicalPieces(value: unknown, out: string[], raw: number[], memo: DigestMemo | undefined): void {
  switch (typeof value) {
    case "string":
      out.push('"');
      raw.push(out.length);
      out.push(value, '"');
      return;
    case "object": {
      if (value === null) {
        out.push("null");
        return;
      }
      if (value instanceof Uint8Array) {
        out.push(canonicalBytes(value, memo));
        return;
      }
      if (Array.isArray(value)) {
        out.push("[");
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(",");
          canonicalPieces(value[i], out, raw, memo);
        }
        out.push("]");
        return;
      }
      const obj = value as Record<string, unknown>;
      const keys = sortedKeys(obj);
      out.push("{");
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        out.push(`${i > 0 ? "," : ""}${JSON.stringify(k)}:`);
        canonicalPieces(obj[k], out, raw, memo);
      }
      out.push("}");
      return;
    }
    default:
      out.push(canonical(value));
  }
}

/**
 * hashString of the concatenation of `pieces`, without concatenating them. Pieces listed in `raw` (in
 * increasing order) must hold no character JSON.stringify escapes (quote, backslash, control character,
 * surrogate): returns undefined if one does.
 */
function hashPieces(pieces: readonly string[], raw: readonly number[]): string | undefined {
  let total = 0;
  for (let p = 0; p < pieces.length; p++) total += pieces[p]!.length;
  let h1 = 0x9e3779b9 | 0;
  let h2 = 0x85ebca6b ^ total;
  let r = 0;
  for (let p = 0; p < pieces.length; p++) {
    const s = pieces[p]!;
    const check = r < raw.length && raw[r] === p;
    if (check) r++;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (check && (c < 0x20 || c === 0x22 || c === 0x5c || (c & 0xf800) === 0xd800)) return undefined;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
  }
  h1 = fmix(h1 ^ h2);
  h2 = fmix(h2 ^ h1);
  return hex64(h1, h2);
}

/** Builds a request with its digest (marked verified in `memo`: replicas sharing it skip the recomputation). */
export function makeRequest(client: number, timestamp: number, op: unknown, size: number, memo?: DigestMemo): Request {
  const req: Request = { client, timestamp, op, size, digest: requestDigest(client, timestamp, op, memo) };
  memo?.verifiedRequests.add(req);
  return req;
}

/** Digest of a batch: over the ordered list of request digests. An empty batch is the null request. */
export function batchDigest(requests: ReadonlyArray<Request>): string {
  if (requests.length === 0) return NULL_DIGEST;
  if (requests.length === 1) return hashString(`B|${requests[0]!.digest}`);
  let s = "B";
  for (let i = 0; i < requests.length; i++) s += `|${requests[i]!.digest}`;
  return hashString(s);
}


/** True iff `req.digest` equals the recomputed digest of (client, timestamp, op). */
export function verifyRequest(req: Request, memo?: DigestMemo): boolean {
  if (memo?.verifiedRequests.has(req)) return true;
  if (
    typeof req !== "object" ||
    req === null ||
    !Number.isInteger(req.client) ||
    typeof req.timestamp !== "number" ||
    typeof req.digest !== "string"
  ) {
    return false;
  }
  let d: string;
  try {
    d = requestDigest(req.client, req.timestamp, req.op, memo);
  } catch {
    return false;
  }
  if (d !== req.digest) return false;
  memo?.verifiedRequests.add(req);
  return true;
}

/** True iff every request verifies and the batch digest equals `digest`. `holder` keys the memo. */
export function verifyBatch(holder: object, requests: ReadonlyArray<Request>, digest: string, memo?: DigestMemo): boolean {
  if (memo?.verifiedBatches.get(holder) === digest) return true;
  if (!Array.isArray(requests)) return false;
  for (let i = 0; i < requests.length; i++) if (!verifyRequest(requests[i]!, memo)) return false;
  if (batchDigest(requests) !== digest) return false;
  memo?.verifiedBatches.set(holder, digest);
  return true;
}

/** Seeds the memo for a batch built locally from verified requests (no recomputation). */
export function markBatchVerified(holder: object, digest: string, memo: DigestMemo): void {
  memo.verifiedBatches.set(holder, digest);
}

/** The hash lanes of one SetHash entry. */
export interface EntryLanes {
  readonly a: number;
  readonly b: number;
}

/** Order-independent running digest of a set of entries (XOR of per-entry 64-bit hashes). */
export class SetHash {
  private a = 0;
  private b = 0;
  /** The lanes of the last key hashed (hashString's two lanes of it, before hex). */
  private keyA = 0;
  private keyB = 0;

  /** Toggles an entry in (or out of) the set; call again with the same key to remove it. */
  toggle(key: string): void {
    this.hashKey(key);
    this.a ^= this.keyA;
    this.b ^= this.keyB;
  }

  /** toggle(key), returning the key's lanes so that toggleLanes can remove it without hashing it again. */
  toggleKey(key: string): EntryLanes {
    this.toggle(key);
    return { a: this.keyA, b: this.keyB };
  }

  /**
   * toggle(`${x}:${y}:${z}`) without building that text: the same lanes (hashKey's loop run over the
   * three parts and the two colons in order; test/protocols/pbft/digest.test.ts compares them). The
   * entry's lanes are then `lastA` and `lastB`.
   */
  toggleJoined(x: string, y: string, z: string): void {
    this.keyA = 0x9e3779b9 | 0;
    this.keyB = 0x85ebca6b ^ (x.length + y.length + z.length + 2);
    this.feed(x);
    this.feed(":");
    this.feed(y);
    this.feed(":");
    this.feed(z);
    this.finish();
    this.a ^= this.keyA;
    this.b ^= this.keyB;
  }

  /** Lanes of the last entry toggled by key. */
  get lastA(): number {
    return this.keyA;
  }

  get lastB(): number {
    return this.keyB;
  }

  /** hashString's lanes of `s` into keyA/keyB (no allocation). */
  private hashKey(s: string): void {
    this.keyA = 0x9e3779b9 | 0;
    this.keyB = 0x85ebca6b ^ s.length;
    this.feed(s);
    this.finish();
  }

  /** hashString's loop over `s`, continuing from the running lanes in keyA/keyB. */
  private feed(s: string): void {
    let h1 = this.keyA;
    let h2 = this.keyB;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.keyA = h1;
    this.keyB = h2;
  }

  /** hashString's final mix of the running lanes. */
  private finish(): void {
    const h1 = fmix(this.keyA ^ this.keyB);
    this.keyA = h1;
    this.keyB = fmix(this.keyB ^ h1);
  }

  /** Toggles an entry by the lanes toggleKey returned for it. */
  toggleLanes(l: EntryLanes): void {
    this.a ^= l.a;
    this.b ^= l.b;
  }

  hex(): string {
    return hex64(this.a, this.b);
  }

  copyFrom(o: SetHash): void {
    this.a = o.a;
    this.b = o.b;
  }

  reset(): void {
    this.a = 0;
    this.b = 0;
  }
}
