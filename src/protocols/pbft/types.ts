// Contract between the PBFT state machines and whoever hosts them (world/, tests, a real transport).
// Owns: the Application interface, requests, effects and observation events.
// May import: nothing outside protocols/pbft.

/** Deterministic replicated service that committed requests run on. */
export interface Application {
  /** Executes one operation; the result is a canonical string so replies can be compared. */
  execute(op: unknown, ctx: ExecContext): string;
  /** Digest of the whole service state (covered by CHECKPOINT messages). */
  stateDigest(): string;
  /** An immutable copy of the state, for state transfer. */
  snapshot(): unknown;
  /** Replaces the state with a snapshot taken by `snapshot()` (possibly at another replica). */
  restore(snapshot: unknown): void;
  /** Simulated size in bytes of the snapshot, for transfer costs. */
  snapshotSize(): number;
}

export interface ExecContext {
  client: number;
  timestamp: number;
  /** Sequence number of the batch the request was ordered in. */
  seq: number;
}

/** A client request. `digest` covers (client, timestamp, op); replicas recompute it before trusting it. */
export interface Request {
  readonly client: number;
  readonly timestamp: number;
  readonly op: unknown;
  /** Simulated size of the operation in bytes. */
  readonly size: number;
  readonly digest: string;
}

/** Reserved digest of the null request (fills gaps in a NEW-VIEW). */
export const NULL_DIGEST = "null";

/**
 * Observation events: what a replica did, for checkers, metrics and traces. Never read back by the
 * protocol. Rare events only: each costs one effect object whether or not anyone listens.
 */
export type Observation =
  | { type: "prepared"; view: number; seq: number; digest: string }
  | { type: "committedLocal"; view: number; seq: number; digest: string }
  | {
      type: "executed";
      view: number;
      seq: number;
      /** Batch digest, or NULL_DIGEST for a null request. */
      digest: string;
      /** Requests actually executed (skipped duplicates are not listed). */
      requests: ReadonlyArray<{ client: number; timestamp: number; digest: string; result: string }>;
    }
  | {
      type: "stateTransferred";
      fromSeq: number;
      toSeq: number;
      /** Checkpoint digest (application state + reply table) of the installed state. */
      stateDigest: string;
      /** `Application.stateDigest()` of the installed state (for replay comparisons). */
      appDigest?: string;
    }
  | {
      type: "checkpoint";
      seq: number;
      /** Checkpoint digest as carried by CHECKPOINT messages (application state + reply table). */
      stateDigest: string;
      /** `Application.stateDigest()` at this checkpoint. */
      appDigest?: string;
    }
  | {
      type: "checkpointStable";
      seq: number;
      stateDigest: string;
      appDigest?: string;
      /** Log slots at or below `seq` garbage-collected by this checkpoint becoming stable. */
      collected: number;
    }
  | { type: "viewChangeStarted"; view: number }
  | {
      type: "newViewInstalled";
      view: number;
      /** Pre-prepares the NEW-VIEW carries (its set O). */
      oSet: number;
      /** Of those, null requests filling gaps. */
      nullFills: number;
    }
  /** Fetching the state of checkpoint `seq` (the replica had executed up to `fromSeq`). */
  | { type: "stateTransferStarted"; seq: number; fromSeq: number }
  /** A transfer ended without installing a state (the replica caught up otherwise); an installed one is `stateTransferred`. */
  | { type: "stateTransferEnded"; seq: number }
  /** A missing request batch body arrived (FETCH-BATCH answered). */
  | { type: "bodyFetched"; digest: string }
  /** The primary of `view` sent a second, different pre-prepare for `seq` (this replica keeps `digest`). */
  | { type: "equivocation"; view: number; seq: number; digest: string; other: string; primary: number }
  | { type: "alarm"; reason: string; view: number; seq: number };

/** Client-side observations. */
export type ClientObservation =
  | { type: "submitted"; timestamp: number; digest: string; op: unknown }
  | { type: "retransmitted"; timestamp: number }
  | { type: "accepted"; timestamp: number; digest: string; result: string; view: number };
