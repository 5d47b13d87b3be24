// Documented ranges shared by the scenario sections: every number a scenario can give has a
// lower and an upper bound (test/scenario/ranges.test.ts checks the JSON Schema for it). The
// bounds keep values where the simulator's arithmetic is exact and its arrays can be allocated;
// whether a run of that size fits the machine is a separate check (./estimate.ts).
// Owns: these constants. May import: nothing.

/** Any simulated time or duration (s): about 31.7 simulated years. */
export const MAX_TIME_S = 1e9;
/**
 * Smallest timer, period or mean interval (s). A shorter one would make events pile up at one
 * instant of simulated time (the clock cannot advance by less than its float resolution).
 */
export const MIN_INTERVAL_S = 1e-6;
/** Seeds, event counts and sequence numbers: integers that doubles (and JSON) hold exactly. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
/**
 * PBFT replicas (validators). Per-replica vote tables grow with n²; whether a given n fits the
 * machine is the size guard's estimate (./estimate.ts counts n² checkpoint votes and n² messages per
 * request), so this bound only keeps ids and tables allocatable. 1024 admits the 1000-replica
 * bench (`npm run bench -- pbft --n 1000 --decisions 1`).
 */
export const MAX_REPLICAS = 1024;
/** PBFT clients (in `model: pbft`) and meta nodes or gateways (in `model: pot`). */
export const MAX_CLIENTS = 100_000;
/** Resource nodes, users per group, catalog files, PHOLD logical processes. */
export const MAX_POPULATION = 10_000_000;
/** Epochs and epoch numbers. */
export const MAX_EPOCHS = 100_000_000;
/**
 * STOS amounts. The initial total supply is 100 M STOS, so nothing larger can be funded; amounts
 * are kept to micro-STOS, so 1e-6 is the smallest positive one (a smaller deposit would be 0 wei).
 */
export const MAX_STOS = 100_000_000;
export const MIN_STOS = 1e-6;
/** Bytes (object sizes, capacities per second, message sizes) and bits per second. */
export const MAX_BYTES = 1e15;
/** Request and arrival rates (per second, per user or client). */
export const MAX_RATE = 1e6;
/** Natural-log parameters (lognormal mu) and spreads (sigma): exp() of them stays finite. */
export const MAX_LOG = 50;
export const MAX_SIGMA = 10;
/** Tail index of Pareto distributions: below 0.1 samples overflow to infinity. */
export const MIN_PARETO_SHAPE = 0.1;
export const MAX_PARETO_SHAPE = 1000;
/**
 * Entries of a list of faults, rules, partitions, spikes, attacks or user groups: each is checked
 * against every message or epoch, so a list is a modelling device, not a data set.
 */
export const MAX_LIST = 1000;
/** Times of one trace arrival list (a data set; also bounded by the 16 MiB file size). */
export const MAX_TRACE = 10_000_000;
/** Tasks of one sweep (points × replicates). */
export const MAX_SWEEP_TASKS = 1_000_000;
/** Scenario names: results go to `results/<name>/`, so a name is one safe folder name. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const MAX_NAME_LENGTH = 64;
/** Free text (descriptions) and short labels (regions, message kinds). */
export const MAX_TEXT_LENGTH = 10_000;
export const MAX_LABEL_LENGTH = 100;
