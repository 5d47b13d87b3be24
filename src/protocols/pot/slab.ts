// Slabs of typed-array memory for the per-report arrays (reward limbs, wallet handles, volumes). A typed
// array with its own backing store costs microseconds to create, several times per report; a view of a
// large chunk costs tens of nanoseconds. Views are zeroed (chunks are fresh and never reused) and keep
// their whole chunk alive, so each slab should serve arrays of similar lifetime.

export class Slab<T extends Float64Array | Int32Array> {
  private chunk: T;
  private used = 0;

  constructor(
    private readonly make: (n: number) => T,
    private readonly chunkLength = 1 << 16,
  ) {
    this.chunk = make(0);
  }

  /** A zeroed array of length n (its own allocation when n is large for the chunk). */
  take(n: number): T {
    if (n > this.chunkLength >> 3) return this.make(n);
    if (this.used + n > this.chunk.length) {
      this.chunk = this.make(this.chunkLength);
      this.used = 0;
    }
    const v = this.chunk.subarray(this.used, this.used + n) as T;
    this.used += n;
    return v;
  }
}

export const f64Slab = (chunkLength?: number): Slab<Float64Array> => new Slab((n) => new Float64Array(n), chunkLength);
export const i32Slab = (chunkLength?: number): Slab<Int32Array> => new Slab((n) => new Int32Array(n), chunkLength);
