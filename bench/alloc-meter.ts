// Bytes allocated on this thread's V8 heap between start() and stop(), from V8's own accounting.
//
// Node 20's v8.getHeapStatistics() has no cumulative allocation counter (total_allocated_bytes came
// in later V8s), and process.memoryUsage() only shows what is live. What V8 does report is the heap's
// object size just before and just after every garbage collection: v8.GCProfiler (Node >= 18.15)
// records both for each GC of this isolate, in-process and without flags. Nothing is freed between
// two GCs, so the bytes allocated over an interval are
//   Σ over its GCs (size before GC k − size after GC k−1) + (size at stop − size after the last GC),
// with "GC 0" the start. This is the very quantity `node --trace-gc-nvp` prints as `allocated=` per GC
// (GCTracer: start object size minus the previous GC's end object size; checked against it by hand:
// see the commit adding this file), but it needs no child process and no parsing of GC logs, works
// in a worker thread, and counts the tail after the last GC. Allocation on other threads' isolates
// (a PoT world's traffic thread) is not counted; the benches run worlds without one.

import { GCProfiler, getHeapStatistics } from "node:v8";

export interface AllocReading {
  /** Bytes allocated on this isolate's heap between start() and stop(). */
  bytes: number;
  /** Garbage collections in the interval, by kind. */
  scavenges: number;
  fullGcs: number;
}

interface GcRecord {
  gcType: string;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

export class AllocMeter {
  private profiler: GCProfiler | null = null;
  private startUsed = 0;

  start(): void {
    this.profiler = new GCProfiler();
    this.startUsed = getHeapStatistics().used_heap_size;
    this.profiler.start();
  }

  stop(): AllocReading {
    const endUsed = getHeapStatistics().used_heap_size;
    const p = this.profiler;
    if (p === null) throw new Error("AllocMeter.stop() before start()");
    this.profiler = null;
    const gcs = (p.stop()?.statistics ?? []) as GcRecord[];
    let bytes = 0;
    let after = this.startUsed;
    let scavenges = 0;
    let fullGcs = 0;
    for (const g of gcs) {
      bytes += g.beforeGC.heapStatistics.usedHeapSize - after;
      after = g.afterGC.heapStatistics.usedHeapSize;
      if (g.gcType === "Scavenge" || g.gcType === "MinorMarkSweep") scavenges++;
      else fullGcs++;
    }
    bytes += endUsed - after;
    return { bytes, scavenges, fullGcs };
  }
}
