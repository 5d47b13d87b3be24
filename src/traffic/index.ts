// traffic/: workload generators for users of a Stratos-like storage network — arrival
// processes (Poisson, on/off, diurnal, trace replay), object sizes, Zipf popularity with
// k-replica placement, uploads charged per replica, node churn, and an aggregated per-epoch
// mode drawn from the same model. Pure: all randomness comes from streams passed in, and the
// world schedules kernel events from the times given here.
// May import: kernel.

export {
  type EpochAggregate,
  EXACT_SUM_MAX,
  EXACT_SUM_MIN,
  type AggregateScratch,
  type OnlineSet,
  aggregateEpoch,
  exactSumThreshold,
  expectedNodeVolume,
  sumOfSizes,
} from "./aggregate.js";
export { type ArrivalProcess, createArrival } from "./arrival.js";
export { ArrivalMerger } from "./arrival-merger.js";
export { Catalog, type OnlinePredicate } from "./catalog.js";
export { Churn } from "./churn.js";
export type { ArrivalConfig, CatalogConfig, ChurnConfig, SizeConfig, TrafficConfig, UserGroupConfig } from "./config.js";
export { DEFAULT_DIURNAL_PERIOD, DiurnalArrival } from "./diurnal-arrival.js";
export { normalCdf } from "./math.js";
export {
  newTrafficRequestRecord,
  type RequestKind,
  type StreamFactory,
  TRAFFIC_STREAMS,
  TrafficModel,
  type TrafficRequest,
  type TrafficRequestRecord,
} from "./model.js";
export { OnOffArrival } from "./onoff-arrival.js";
export { POISSON_INVERSION_MAX, samplePoisson } from "./poisson.js";
export { PoissonArrival } from "./poisson-arrival.js";
export { ConstantSize, createSizeModel, LognormalSize, ParetoSize, type SizeModel } from "./sizes.js";
export { TraceArrival } from "./trace-arrival.js";
export { chargeFor, pickUploadTargets, pickUploadTargetsInto, uploadChargeMultiplier } from "./uploads.js";
