// world/phold/: the PHOLD benchmark as a runnable world (model.ts: logical processes exchanging
// timestamped events through the kernel's public API; world.ts: its summary and table).
// May import: kernel, ../scenario (types), ../types.

export { type PholdParams, PholdModel } from "./model.js";
export { buildPholdWorld } from "./world.js";
