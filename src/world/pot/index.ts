// world/pot/: the Proof-of-Traffic model as a runnable world. Owns the PBFT validators' application
// envelope (app.ts), the scenario view and genesis (config.ts), the economic actors (actors.ts), users'
// traffic (traffic.ts), how the parts are built (wiring.ts), the running world and its epoch cycle
// (world.ts), its economic metrics (metrics.ts) and the summary and tables of a finished run
// (results.ts). The traffic thread's plumbing is the sub-room ./feed.
// May import: kernel, protocols, faults, traffic, check, metrics, ../pbft, ../observe (types), ../scenario (types), ../types.

export { ledgerOf, PACKED_REPORT, type PackedReportOp, PotChainApp, type PotExecHook, ReportCodec } from "./app.js";
export { addr, type PotGenesis, type PotScenario, stosToWei, weiToStos } from "./config.js";
export { type PotRun, potOutput, RunTotals } from "./results.js";
export { PotWorld, type PotWorldOptions } from "./world.js";
