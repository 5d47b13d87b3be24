// world/pot/feed/: the traffic thread. Owns the worker that draws a PoT world's aggregated epochs
// (and, when they depend on the traffic alone, encodes their honest reports) ahead of the world, the
// ring of shared memory they travel through, and the online timeline the worker steps as the world
// does (feed.ts); worker.ts is the thread's entry. The world's traffic takes epochs from here, never
// the other way round.
// May import: kernel, traffic, protocols/pot, ../config (the scenario view).

export { type FedEpoch, type FedReport, type FedReportSpec, OnlineTimeline, type PlannedOutage, TrafficFeed, type TrafficFeedSpec } from "./feed.js";
