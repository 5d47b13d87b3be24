// 64-bit trace hash folded over every processed event (time bits, target, kind), kept as two
// 32-bit lanes so folding costs a few integer multiplies and no allocation.

export const f64 = new Float64Array(1);
export const u32 = new Uint32Array(f64.buffer);

export class TraceHash {
  /** The two lanes; the kernel's event loop folds into local copies and writes them back. */
  h1 = 0x811c9dc5 | 0;
  h2 = 0x01000193 | 0;

  fold(time: number, target: number, kind: number): void {
    f64[0] = time;
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = mix(h1, u32[0]!);
    h2 = mix2(h2, u32[1]!);
    h1 = mix(h1, target);
    h2 = mix2(h2, kind);
    this.h1 = (h1 + h2) | 0;
    this.h2 = (h2 ^ h1) | 0;
  }

  /** 16 lowercase hex digits. */
  hex(): string {
    return hex32(this.h1) + hex32(this.h2);
  }
}

export function mix(h: number, w: number): number {
  h = Math.imul(h ^ w, 0x85ebca6b);
  return (h << 13) | (h >>> 19);
}

export function mix2(h: number, w: number): number {
  h = Math.imul(h ^ w, 0xc2b2ae35);
  return (h << 17) | (h >>> 15);
}

function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}
