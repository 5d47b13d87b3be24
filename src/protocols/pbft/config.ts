// Replica-group configuration: fault bound, quorum sizes, watermark window, timers and batching.
// Pure functions only; defaults follow pbft-spec.md §15 (times in simulated seconds).

/** Fully resolved configuration shared by every replica and client of one group. */
export interface PbftConfig {
  /** Number of replicas (ids 0 … n−1). */
  readonly n: number;
  /** Tolerated faulty replicas, ⌊(n−1)/3⌋. */
  readonly f: number;
  /** Strong quorum Q = ⌈(n+f+1)/2⌉ (2f+1 when n = 3f+1). */
  readonly quorum: number;
  /** Weak certificate W = f+1. */
  readonly weakQuorum: number;
  /** Checkpoint interval K. */
  readonly checkpointInterval: number;
  /** Log window L (high watermark H = h + L). */
  readonly logWindow: number;
  /** Request timer T_req (every replica, primary included). */
  readonly requestTimeout: number;
  /** New-view timer base T (doubles per failed view change). */
  readonly newViewTimeout: number;
  /** Cap of the doubling new-view timer (capped-exponential variant, §8.2); default 64·T. */
  readonly maxNewViewTimeout: number;
  /** VIEW-CHANGE re-send interval while view changing (§8.5). */
  readonly viewChangeResendInterval: number;
  /** Client retransmission timeout T_client. */
  readonly clientRetransmitTimeout: number;
  /** Maximum requests per PRE-PREPARE. */
  readonly maxBatchSize: number;
  /** Maximum sequence numbers pre-prepared but not yet executed at the primary (W_inflight). */
  readonly maxInFlight: number;
  /** 0: propose as soon as the in-flight window allows; > 0: wait this long for a full batch. */
  readonly batchTimeout: number;
  /** Time to wait for a STATE reply before asking the next certificate member. */
  readonly stateTransferTimeout: number;
  /** Time to wait for a missing request batch before asking the next replica. */
  readonly fetchTimeout: number;
  /** Grace period before state-transferring to a stable checkpoint inside the window (R-K4). */
  readonly catchUpDelay: number;
  /** A replica without progress for this long broadcasts a STATUS (retransmission, §10.1); default 4·T_req. */
  readonly statusInterval: number;
  /** Buffered future-view messages kept per sender (§5.6). */
  readonly futureBufferPerSender: number;
  /**
   * Primaries of the first views, when a leader schedule is given (Twins-style testing chooses the
   * leader of each early view); every later view v has primary v mod n. Empty: v mod n throughout.
   */
  readonly leaders: ReadonlyArray<number>;
}

export type PbftConfigInput = { n: number } & Partial<Omit<PbftConfig, "n" | "f" | "quorum" | "weakQuorum">>;

/** f = ⌊(n−1)/3⌋. */
export function faultsTolerated(n: number): number {
  return Math.floor((n - 1) / 3);
}

/** Q = ⌈(n+f+1)/2⌉: any two quorums intersect in at least f+1 replicas. */
export function quorumSize(n: number): number {
  const f = faultsTolerated(n);
  return Math.ceil((n + f + 1) / 2);
}

/** W = f+1: at least one member is correct. */
export function weakQuorumSize(n: number): number {
  return faultsTolerated(n) + 1;
}

const NO_LEADERS: ReadonlyArray<number> = Object.freeze([]);

/** Primary of a view: `leaders[v]` for the views a leader schedule covers, else v mod n. */
export function primaryOf(view: number, n: number, leaders: ReadonlyArray<number> = NO_LEADERS): number {
  return view < leaders.length ? leaders[view]! : view % n;
}

export const DEFAULT_CONFIG = {
  checkpointInterval: 10,
  logWindow: 20,
  requestTimeout: 1,
  newViewTimeout: 1,
  viewChangeResendInterval: 1,
  clientRetransmitTimeout: 1,
  maxBatchSize: 1,
  maxInFlight: 1,
  batchTimeout: 0,
  stateTransferTimeout: 0.5,
  fetchTimeout: 0.5,
  futureBufferPerSender: 256,
} as const;

/** Resolves a configuration; unspecified fields take §15 defaults (T and T_client default to T_req). */
export function makeConfig(input: PbftConfigInput): PbftConfig {
  const n = input.n;
  if (!Number.isInteger(n) || n < 1) throw new Error(`pbft: n must be a positive integer, got ${n}`);
  const requestTimeout = input.requestTimeout ?? DEFAULT_CONFIG.requestTimeout;
  const cfg: PbftConfig = {
    n,
    f: faultsTolerated(n),
    quorum: quorumSize(n),
    weakQuorum: weakQuorumSize(n),
    checkpointInterval: input.checkpointInterval ?? DEFAULT_CONFIG.checkpointInterval,
    logWindow: input.logWindow ?? 2 * (input.checkpointInterval ?? DEFAULT_CONFIG.checkpointInterval),
    requestTimeout,
    newViewTimeout: input.newViewTimeout ?? requestTimeout,
    maxNewViewTimeout: input.maxNewViewTimeout ?? 64 * (input.newViewTimeout ?? requestTimeout),
    viewChangeResendInterval: input.viewChangeResendInterval ?? input.newViewTimeout ?? requestTimeout,
    clientRetransmitTimeout: input.clientRetransmitTimeout ?? requestTimeout,
    maxBatchSize: input.maxBatchSize ?? DEFAULT_CONFIG.maxBatchSize,
    maxInFlight: input.maxInFlight ?? DEFAULT_CONFIG.maxInFlight,
    batchTimeout: input.batchTimeout ?? DEFAULT_CONFIG.batchTimeout,
    stateTransferTimeout: input.stateTransferTimeout ?? DEFAULT_CONFIG.stateTransferTimeout,
    fetchTimeout: input.fetchTimeout ?? DEFAULT_CONFIG.fetchTimeout,
    catchUpDelay: input.catchUpDelay ?? requestTimeout / 5,
    statusInterval: input.statusInterval ?? 4 * requestTimeout,
    futureBufferPerSender: input.futureBufferPerSender ?? DEFAULT_CONFIG.futureBufferPerSender,
    leaders: input.leaders ?? NO_LEADERS,
  };
  if (cfg.checkpointInterval < 1 || !Number.isInteger(cfg.checkpointInterval)) {
    throw new Error("pbft: checkpointInterval must be a positive integer");
  }
  if (cfg.logWindow < cfg.checkpointInterval || !Number.isInteger(cfg.logWindow)) {
    throw new Error("pbft: logWindow must be an integer ≥ checkpointInterval");
  }
  if (cfg.maxBatchSize < 1 || cfg.maxInFlight < 1) throw new Error("pbft: maxBatchSize and maxInFlight must be ≥ 1");
  for (const l of cfg.leaders) if (!Number.isInteger(l) || l < 0 || l >= n) throw new Error(`pbft: leader ${l} is not a replica (n = ${n})`);
  return cfg;
}
