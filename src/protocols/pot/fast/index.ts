// protocols/pot/fast/: the performance machinery of the PoT ledger, kept apart from the rules. Each
// optimised twin names its reference and the test that proves them equal:
//   limbs.ts   exact wei amounts as two float64 limbs (the bigint amounts of state.ts and formulas.ts);
//              tested by test/protocols/pot/fast/limbs.equiv.test.ts;
//   plan.ts    step E of a report in exact float64 arithmetic (report.ts's computePlan and
//              formulas.ts's resourceEntryReward); test/protocols/pot/fast/plan.equiv.test.ts;
//   encode.ts  a report's sign bytes, list lines and tx_data in one pass over a byte buffer
//              (report.ts's listLines, signBytes and sha256Hex); test/protocols/pot/fast/encode.equiv.test.ts;
// and typed-array memory: slab.ts (views of shared chunks), marks.ts (a handle set cleared in O(1))
// and memory.ts (PotMemory: one world's slabs and scratch, held by its PotSharedCache). Module state
// here is limited to constant tables; every buffer belongs to a PotMemory or a ListEncoder.
// May import: ../dec, ../sha256 (and nothing else outside this folder).

export { type EncodedLists, ListEncoder } from "./encode.js";
export { fromLimbs, LIMB_BASE, LIMB_LIMIT, LimbVec, limbHi, limbLo, type RewardLimbs, toLimbs } from "./limbs.js";
export { HandleMarks } from "./marks.js";
export { PotMemory } from "./memory.js";
export { computePlanFast, type FastPlanResult } from "./plan.js";
export { f64Slab, i32Slab, Slab, u8Slab } from "./slab.js";
