// Typed-array growth for columns kept while a run goes (the PBFT world's request log and replica
// timeline, the PoT epochs table and traffic stats, the safety checker's digest rows): a copy with
// room for `n` entries, the old ones first and the rest zero.
// May import: nothing.

export function grownF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

export function grownI32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

export function grownU8(a: Uint8Array, n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}
