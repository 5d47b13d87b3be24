// The message log: one Slot per sequence number holding the phase state of the current view
// (accepted pre-prepare, PREPARE and COMMIT tallies), plus what survives view changes (commit
// certificate, executed flag), and the P set entry (latest prepared certificate per seq).

import type { PreparedCert } from "./messages.js";
import type { Request } from "./types.js";
import { Tally, type VoteSet } from "./votes.js";

export class Slot {
  readonly seq: number;
  /** View the phase state below belongs to. */
  view: number;
  /** Digest of the accepted PRE-PREPARE in `view` (null: none yet). */
  digest: string | null = null;
  /** Body of `digest` when known (empty array for the null request). */
  batch: ReadonlyArray<Request> | null = null;
  prepares: Tally;
  commits: Tally;
  sentPrepare = false;
  prepared = false;
  committedInView = false;
  /** Digest this slot committed locally with, in any view (survives view changes). */
  committedDigest: string | null = null;
  executed = false;
  /** COMMIT senders of the view this slot committed in (for commit certificates). */
  commitVoters: VoteSet | null = null;
  commitView = -1;

  constructor(seq: number, view: number, n: number) {
    this.seq = seq;
    this.view = view;
    this.prepares = new Tally(n);
    this.commits = new Tally(n);
  }

  /** Drops the phase state of an older view; keeps the commit certificate and executed flag. */
  resetView(view: number, n: number): void {
    this.view = view;
    this.digest = null;
    this.batch = null;
    this.prepares = new Tally(n);
    this.commits = new Tally(n);
    this.sentPrepare = false;
    this.prepared = false;
    this.committedInView = false;
  }
}

/** P-set entry: the latest prepared certificate this replica holds for `seq`. */
export interface PEntry {
  readonly seq: number;
  readonly view: number;
  readonly digest: string;
  /** Counted PREPARE senders (never mutated after the slot leaves its view). */
  readonly voters: VoteSet;
  /** Certificate as sent in VIEW-CHANGEs, built on first use. */
  cert: PreparedCert | null;
}
