// PBFT replica (Castro–Liskov, OSDI'99 with the practical mechanisms of pbft-spec.md) as a pure
// state machine: normal case with batching, checkpoints and watermarks, view change / new view,
// timers, request-body fetch and state transfer. Inputs: `step` (replica messages),
// `receiveRequest` (client requests), `timeout` (timer fired). Outputs: effects, collected until
// the host calls `drainEffects()`. Decision points are `protected` so tests can build mutants.

import { CheckpointVotes } from "./checkpoints.js";
import { EffectQueue } from "./effect-queue.js";
import { type ClientRecord, ClientTable, checkpointDigest } from "./client-table.js";
import { type PbftConfig, primaryOf } from "./config.js";
import { batchDigest, DigestMemo, markBatchVerified, verifyBatch, verifyRequest } from "./digest.js";
import { type PEntry, Slot } from "./log.js";
import type {
  BatchMessage,
  Checkpoint,
  Commit,
  CommitCert,
  CommitCerts,
  Effect,
  FetchBatch,
  FetchNewView,
  FetchState,
  NewView,
  PreparedCert,
  PrePrepare,
  Prepare,
  Reply,
  ReplicaMessage,
  RequestMessage,
  StableProof,
  StateMessage,
  Status,
  TimerName,
  ViewChange,
} from "./messages.js";
import {
  makeCheckpoint,
  makeCommit,
  makePrepare,
  makePrePrepare,
  makeStateMessage,
  makeViewChange,
} from "./messages.js";
import { makeNewView, type NewViewPlan, planNewView } from "./newview.js";
import {
  type OwnCheckpoint,
  type PersistedReplica,
  persistReplica,
  restoreDurable,
  type StableCert,
} from "./persistence.js";
import { TimerSet } from "./timers.js";
import { type Application, NULL_DIGEST, type Observation, type Request } from "./types.js";
import { VoteSet } from "./votes.js";

export type ReplicaMode = "normal" | "view-changing";

/** A request this replica knows of and has not executed (one per client: the newest). */
interface PendingEntry {
  readonly req: Request;
  readonly arrival: number;
  /** View in which the request was given a sequence number (−1: none known). */
  assignedView: number;
  /** View in which the primary queued it for assignment (−1: not queued). */
  queuedView: number;
}

interface Transfer {
  readonly seq: number;
  readonly digest: string;
  readonly candidates: ReadonlyArray<number>;
  idx: number;
}

interface MissingBody {
  readonly candidates: ReadonlyArray<number>;
  idx: number;
}

/** Phase messages that may be buffered for a future view (§5.6). */
type ViewedMessage = PrePrepare | Prepare | Commit;

/** Read-only view of one log slot, for tests and checkers. */
export interface SlotInfo {
  readonly seq: number;
  readonly view: number;
  readonly digest: string | null;
  readonly prepareCount: number;
  readonly commitCount: number;
  readonly prepared: boolean;
  readonly committedDigest: string | null;
  readonly executed: boolean;
}

const EMPTY_BATCH: ReadonlyArray<Request> = Object.freeze([]);

function isInt(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}

export class Replica {
  readonly id: number;
  readonly config: PbftConfig;
  protected readonly app: Application;
  /** What this world's replicas and clients already verified (shared; see DigestMemo). */
  protected readonly digests: DigestMemo;
  protected readonly n: number;
  protected now = 0;

  // ---- core protocol state -------------------------------------------------------------
  protected curView = 0;
  protected viewChanging = false;
  /** Low watermark: last stable checkpoint. */
  protected h = 0;
  protected stableDigest = "";
  protected stableProof: ReadonlyArray<Checkpoint> = [];
  protected lastExec = 0;
  /** Last sequence number assigned (meaningful at the primary). */
  protected nextSeq = 0;
  protected readonly slots = new Map<number, Slot>();
  protected readonly pset = new Map<number, PEntry>();
  protected readonly bodies = new Map<string, ReadonlyArray<Request>>();
  protected clientTable = new ClientTable();

  // ---- checkpoints ---------------------------------------------------------------------
  protected readonly own = new Map<number, OwnCheckpoint>();
  protected readonly ckVotes: CheckpointVotes;
  /** Checkpoints proven stable (Q matching) that this replica has not reached yet. */
  protected readonly certs = new Map<number, StableCert>();
  /** Highest checkpoint known to be stable (reached or not). */
  protected stableKnown = 0;

  // ---- requests ------------------------------------------------------------------------
  protected readonly pending = new Map<number, PendingEntry>();
  private arrivals = 0;
  private queue: PendingEntry[] = [];
  private queueHead = 0;

  // ---- view change ---------------------------------------------------------------------
  /** Latest valid VIEW-CHANGE per sender (own included). */
  protected readonly vcBySender: Array<ViewChange | undefined>;
  private readonly vcCount = new Map<number, number>();
  private aheadCount = 0;
  protected ownViewChange: ViewChange | null = null;
  private nvSentView = -1;
  protected lastNewView: NewView | null = null;
  protected nvTimeout: number;
  private readonly validatedVC = new WeakSet<ViewChange>();
  private future: Array<{ from: number; msg: ViewedMessage }> = [];
  private readonly futureCount: Int32Array;
  private readonly futureSenders = new Map<number, VoteSet>();
  private nvFetchView = 0;

  // ---- timers, transfers, fetches ------------------------------------------------------
  /** Which timers are armed; arming and cancelling emit the setTimer / cancelTimer effects. */
  private readonly timers = new TimerSet({
    setTimer: (timer, delay) => this.setTimer(timer, delay),
    cancelTimer: (timer) => this.cancelTimer(timer),
  });
  /** The pending request the request timer is timing (see startRequestTimerIfIdle). */
  private reqTimerEntry: PendingEntry | null = null;
  private statusMark = -1;
  /** Highest sequence number seen in a phase or checkpoint message from a peer. */
  private seenAhead = 0;
  /** STATUS re-broadcasts left after a restart announcement that nobody has answered yet. */
  private announceLeft = 0;
  /** lastExec and view at which a suspicion was last deferred because a slot was ordered ahead (R-T1). */
  private deferredAt = -1;
  private deferredView = -1;
  /** End of that deferral's period: a timer expiring before it defers too (R-T1). */
  private deferredUntil = 0;
  /** Highest sequence number each peer is known to have executed to (what it said about itself: notePeerAt). */
  private readonly peerAt: Float64Array;
  /** Replicas whose current-view phase messages were above this replica's window since h last moved (R-T1). */
  private farAhead: VoteSet;
  /** R-K7: earliest time of the next stable-proof push to each lagging peer, and the current gap. */
  private readonly pushAt: Float64Array;
  private readonly pushGap: Float64Array;
  protected xfer: Transfer | null = null;
  private readonly missing = new Map<string, MissingBody>();
  protected paused = false;
  private executing = false;
  private executedSomething = false;
  private executedTracked = false;

  private readonly effects = new EffectQueue();

  /** @param digests the world's memo of verified requests and batches (default: this replica's own). */
  constructor(id: number, config: PbftConfig, app: Application, digests: DigestMemo = new DigestMemo()) {
    if (!isInt(id) || id < 0 || id >= config.n) throw new Error(`pbft: replica id ${id} out of range`);
    this.id = id;
    this.config = config;
    this.app = app;
    this.digests = digests;
    this.n = config.n;
    this.nvTimeout = config.newViewTimeout;
    this.ckVotes = new CheckpointVotes(config.n, Math.ceil(config.logWindow / config.checkpointInterval) + 2);
    this.vcBySender = new Array<ViewChange | undefined>(config.n).fill(undefined);
    this.futureCount = new Int32Array(config.n);
    this.peerAt = new Float64Array(config.n);
    this.farAhead = new VoteSet(config.n);
    this.pushAt = new Float64Array(config.n);
    this.pushGap = new Float64Array(config.n).fill(config.statusInterval);
  }

  // =======================================================================================
  // Public API
  // =======================================================================================

  /** Returns (and clears) the effects produced since the last call; see Effect for the host's ordering contract. */
  drainEffects(): Effect[] {
    return this.effects.drain();
  }

  /** drainEffects for a host that applies them at once, without an array per step: take() a batch, apply it, release() it. */
  get effectQueue(): EffectQueue {
    return this.effects;
  }

  /** A message from replica `from` (the authenticated sender). */
  step(from: number, msg: ReplicaMessage, now: number): void {
    this.now = now;
    if (!isInt(from) || from < 0 || from >= this.n || from === this.id) return;
    if (typeof msg !== "object" || msg === null) return;
    this.dispatch(from, msg);
  }

  /** A request from client `client` (the authenticated sender; must equal `request.client`). */
  receiveRequest(client: number, msg: RequestMessage, now: number): void {
    this.now = now;
    if (typeof msg !== "object" || msg === null || msg.type !== "request") return;
    const req = msg.request;
    if (typeof req !== "object" || req === null || req.client !== client) return;
    this.onRequest(req, msg, true);
  }

  /** The named timer fired. */
  timeout(timer: TimerName, now: number): void {
    this.now = now;
    switch (timer) {
      case "request":
        if (!this.timers.fired("request")) return; // stale firing
        if (!this.viewChanging && this.pending.size > 0 && this.catchingUp(this.config.requestTimeout)) {
          // R-T1: still timing the same request, after the catch-up
          this.timers.arm("request", this.config.requestTimeout);
          return;
        }
        this.reqTimerEntry = null;
        if (!this.viewChanging && this.pending.size > 0) this.startViewChange(this.curView + 1);
        return;
      case "newView":
        if (!this.timers.fired("newView")) return;
        if (!this.viewChanging && this.catchingUp(this.nvTimeout)) {
          this.timers.arm("newView", this.nvTimeout); // R-T1: the installed view gets its full period after the catch-up
          return;
        }
        this.nvTimeout = Math.min(2 * this.nvTimeout, this.config.maxNewViewTimeout);
        this.startViewChange(this.curView + 1);
        return;
      case "viewChangeResend":
        if (!this.timers.fired("viewChangeResend")) return;
        if (this.viewChanging && this.ownViewChange !== null) {
          this.broadcast(this.ownViewChange);
          this.timers.arm("viewChangeResend", this.config.viewChangeResendInterval);
        }
        return;
      case "batch":
        if (!this.timers.fired("batch")) return;
        this.tryPropose(true);
        return;
      case "stateTransfer":
        if (!this.timers.fired("stateTransfer")) return;
        this.onTransferTimeout();
        return;
      case "fetchBatch":
        if (!this.timers.fired("fetchBatch")) return;
        this.onFetchTimeout();
        return;
      case "catchUp":
        if (!this.timers.fired("catchUp")) return;
        this.behind(true);
        return;
      case "status":
        if (!this.timers.fired("status")) return;
        this.onStatusTimer();
        return;
      case "laggard":
        if (!this.timers.fired("laggard")) return;
        this.pushToLaggards();
        return;
    }
  }

  /** Suspects the primary as if the request timer had expired (tests, fault injection). */
  suspectPrimary(now: number): void {
    this.now = now;
    this.startViewChange(this.curView + 1);
  }

  /** Broadcasts a STATUS now (call after (re)starting a replica so peers can help it catch up). */
  announce(now: number): void {
    this.now = now;
    this.broadcastStatus();
    this.announceLeft = 3;
    this.armStatus();
  }

  /** Pauses / resumes execution of committed slots (ordering continues; S20). */
  setExecutionPaused(paused: boolean, now: number): void {
    this.now = now;
    this.paused = paused;
    if (!paused) {
      this.tryExecute();
      this.behind(false);
    }
  }

  // ---- introspection ---------------------------------------------------------------------

  get view(): number {
    return this.curView;
  }
  get mode(): ReplicaMode {
    return this.viewChanging ? "view-changing" : "normal";
  }
  get lowWatermark(): number {
    return this.h;
  }
  get highWatermark(): number {
    return this.h + this.config.logWindow;
  }
  get lastExecuted(): number {
    return this.lastExec;
  }
  get primary(): number {
    return primaryOf(this.curView, this.n, this.config.leaders);
  }
  get isPrimary(): boolean {
    return primaryOf(this.curView, this.n, this.config.leaders) === this.id;
  }
  get lastAssigned(): number {
    return this.nextSeq;
  }
  get newViewTimeoutDuration(): number {
    return this.nvTimeout;
  }
  get pendingRequestCount(): number {
    return this.pending.size;
  }
  get stateTransferInProgress(): boolean {
    return this.xfer !== null;
  }
  get stableCheckpoint(): { seq: number; digest: string } {
    return { seq: this.h, digest: this.stableDigest };
  }
  get application(): Application {
    return this.app;
  }
  /** Sequence numbers currently in the log, ascending. */
  logSeqs(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }
  slotInfo(seq: number): SlotInfo | undefined {
    const s = this.slots.get(seq);
    if (s === undefined) return undefined;
    return {
      seq,
      view: s.view,
      digest: s.digest,
      prepareCount: this.prepareCount(s),
      commitCount: s.digest === null ? 0 : s.commits.count(s.digest),
      prepared: s.prepared,
      committedDigest: s.committedDigest,
      executed: s.executed,
    };
  }
  /** Own checkpoint digests held (seq → digest). */
  checkpointDigests(): Map<number, string> {
    const m = new Map<number, string>();
    for (const [s, c] of this.own) m.set(s, c.digest);
    return m;
  }

  // =======================================================================================
  // Mutation hooks (override in subclasses to build deliberately broken replicas)
  // =======================================================================================

  /** Strong quorum used for prepared (Q−1 backups), committed (Q), checkpoints and view change. */
  protected quorum(): number {
    return this.config.quorum;
  }

  /** Matching PREPAREs from distinct backups needed besides the pre-prepare. */
  protected prepareQuorum(): number {
    return this.quorum() - 1;
  }

  /** Matching COMMITs needed for committed-local. */
  protected commitQuorum(): number {
    return this.quorum();
  }

  /** Whether a PREPARE from `sender` counts in `view` (R-PR1: never the primary's). */
  protected countsPrepareFrom(sender: number, view: number): boolean {
    return sender !== primaryOf(view, this.n, this.config.leaders);
  }

  /**
   * Matching PREPAREs for the slot's accepted digest that count (R-PR1). Every PREPARE is logged,
   * the primary's too; it is subtracted here unless countsPrepareFrom() admits it.
   */
  protected prepareCount(slot: Slot): number {
    if (slot.digest === null) return 0;
    const voters = slot.prepares.voters(slot.digest);
    if (voters === null) return 0;
    const p = primaryOf(slot.view, this.n, this.config.leaders);
    return voters.count - (voters.has(p) && !this.countsPrepareFrom(p, slot.view) ? 1 : 0);
  }

  /** R-PR2: accepted pre-prepare plus prepareQuorum() matching counted PREPAREs. */
  protected preparedPredicate(slot: Slot): boolean {
    return slot.digest !== null && this.prepareCount(slot) >= this.prepareQuorum();
  }

  /** R-C3: prepared plus commitQuorum() matching COMMITs. */
  protected committedPredicate(slot: Slot): boolean {
    return slot.prepared && slot.digest !== null && slot.commits.count(slot.digest) >= this.commitQuorum();
  }

  /** True to treat `prepared` as committed (skips the commit phase; mutation M1). */
  protected executeOnPrepared(): boolean {
    return false;
  }

  /** Watermark test for PREPARE / COMMIT (h < seq ≤ H). */
  protected inWindow(seq: number): boolean {
    return seq > this.h && seq <= this.highWater();
  }

  /** Watermark test for PRE-PREPARE (R-A4). */
  protected acceptPrePrepareWindow(seq: number): boolean {
    return this.inWindow(seq);
  }

  /** VIEW-CHANGEs from distinct replicas a NEW-VIEW needs (its V), own included (§7.5, §7.6). */
  protected newViewQuorum(): number {
    return this.quorum();
  }

  /** min-s, max-s and O from V (§7.5): the new primary's choice of what to re-propose, recomputed by backups (§7.6). */
  protected newViewPlan(vcs: ReadonlyArray<ViewChange>): NewViewPlan {
    return planNewView(vcs);
  }

  /** Whether a prepared certificate from `certView` goes into a VIEW-CHANGE (§7.2: P keeps certificates across views). */
  protected keepsPreparedCert(_certView: number): boolean {
    return true;
  }

  /** Next sequence number to execute, or −1 (R-E1: strictly lastExec+1, committed, body known). */
  protected nextExecutable(): number {
    const s = this.lastExec + 1;
    const slot = this.slots.get(s);
    if (slot === undefined || slot.committedDigest === null || slot.executed) return -1;
    if (this.bodyOf(slot.committedDigest) === null) {
      this.requestBody(slot.committedDigest, null);
      return -1;
    }
    return s;
  }

  // =======================================================================================
  // Dispatch
  // =======================================================================================

  private dispatch(from: number, msg: ReplicaMessage): void {
    switch (msg.type) {
      case "request":
        if (typeof msg.request === "object" && msg.request !== null) this.onRequest(msg.request, msg, false);
        return;
      case "pre-prepare":
        this.onPrePrepare(from, msg);
        return;
      case "prepare":
        this.onPrepare(from, msg);
        return;
      case "commit":
        this.onCommit(from, msg);
        return;
      case "checkpoint":
        this.onCheckpoint(from, msg);
        return;
      case "view-change":
        this.onViewChange(from, msg);
        return;
      case "new-view":
        this.onNewView(from, msg);
        return;
      case "fetch-state":
        this.onFetchState(from, msg);
        return;
      case "state":
        this.onState(from, msg);
        return;
      case "fetch-batch":
        this.onFetchBatch(from, msg);
        return;
      case "batch":
        this.onBatch(from, msg);
        return;
      case "fetch-new-view":
        this.onFetchNewView(from, msg);
        return;
      case "status":
        this.onStatus(from, msg);
        return;
      case "commit-certs":
        this.onCommitCerts(from, msg);
        return;
      case "stable-proof":
        this.onStableProof(from, msg);
        return;
      default:
        return;
    }
  }

  // =======================================================================================
  // Requests (C4, C5, R-P1..3)
  // =======================================================================================

  private onRequest(req: Request, msg: RequestMessage, fromClient: boolean): void {
    if (!verifyRequest(req, this.digests)) return;
    const rec = this.clientTable.get(req.client);
    if (rec !== undefined && req.timestamp <= rec.timestamp) {
      if (fromClient && req.timestamp === rec.timestamp) this.sendReply(req.client, rec);
      return;
    }
    let e = this.pending.get(req.client);
    if (e !== undefined && e.req.timestamp > req.timestamp) return;
    if (e !== undefined && e.req.timestamp === req.timestamp) {
      if (e.req.digest !== req.digest) return;
    } else {
      e = this.addPending(req, -1);
    }
    if (this.viewChanging) return;
    if (this.isPrimary) {
      if (e.assignedView !== this.curView && e.queuedView !== this.curView) {
        e.queuedView = this.curView;
        this.queue.push(e);
      }
      this.tryPropose(false);
    } else if (fromClient && e.assignedView !== this.curView) {
      this.send(primaryOf(this.curView, this.n, this.config.leaders), msg);
    }
  }

  private addPending(req: Request, assignedView: number): PendingEntry {
    const old = this.pending.get(req.client);
    if (old !== undefined) {
      this.pending.delete(req.client);
      if (old === this.reqTimerEntry) this.executedTracked = true;
    }
    const e: PendingEntry = { req, arrival: ++this.arrivals, assignedView, queuedView: -1 };
    this.pending.set(req.client, e);
    this.startRequestTimerIfIdle();
    this.armStatus();
    return e;
  }

  /** Records that `req` was given a sequence number in `view` (seen in a pre-prepare). */
  private notePending(req: Request, view: number): void {
    const rec = this.clientTable.get(req.client);
    if (rec !== undefined && req.timestamp <= rec.timestamp) return;
    const e = this.pending.get(req.client);
    if (e !== undefined && e.req.timestamp === req.timestamp) {
      e.assignedView = view;
    } else if (e === undefined || e.req.timestamp < req.timestamp) {
      this.addPending(req, view);
    }
  }

  private sendReply(client: number, rec: ClientRecord): void {
    const msg: Reply = {
      type: "reply",
      view: this.curView,
      timestamp: rec.timestamp,
      client,
      replica: this.id,
      result: rec.result,
    };
    this.effects.reply(client, msg);
  }

  /** Primary: cut batches while the window and the in-flight limit allow (§9.1). */
  private tryPropose(force: boolean): void {
    if (this.viewChanging || !this.isPrimary) return;
    const cfg = this.config;
    for (;;) {
      const avail = this.queue.length - this.queueHead;
      if (avail <= 0) {
        this.queue = [];
        this.queueHead = 0;
        this.timers.disarm("batch");
        return;
      }
      if (this.nextSeq + 1 > this.h + cfg.logWindow) return;
      if (this.nextSeq - this.lastExec >= cfg.maxInFlight) return;
      if (cfg.batchTimeout > 0 && !force && avail < cfg.maxBatchSize) {
        if (!this.timers.isArmed("batch")) this.timers.arm("batch", cfg.batchTimeout);
        return;
      }
      force = false;
      const reqs: Request[] = [];
      while (this.queueHead < this.queue.length && reqs.length < cfg.maxBatchSize) {
        const e = this.queue[this.queueHead++]!;
        if (this.pending.get(e.req.client) !== e || e.assignedView === this.curView) continue;
        e.assignedView = this.curView;
        reqs.push(e.req);
      }
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (reqs.length === 0) continue;
      this.propose(reqs);
    }
  }

  private propose(reqs: ReadonlyArray<Request>): void {
    const seq = ++this.nextSeq;
    const digest = batchDigest(reqs);
    const pp = makePrePrepare(this.curView, seq, reqs, this.id, digest);
    markBatchVerified(pp, digest, this.digests);
    this.broadcast(pp);
    const slot = this.slotFor(seq);
    slot.digest = digest;
    slot.batch = reqs;
    this.bodies.set(digest, reqs);
    this.checkPrepared(slot);
  }

  // =======================================================================================
  // Normal case: PRE-PREPARE / PREPARE / COMMIT (R-A*, R-PR*, R-C*)
  // =======================================================================================

  /** The slot for `seq` with phase state of the current view. */
  protected slotFor(seq: number): Slot {
    let slot = this.slots.get(seq);
    if (slot === undefined) {
      slot = new Slot(seq, this.curView, this.n);
      this.slots.set(seq, slot);
      if (!this.timers.isArmed("status") && seq > this.lastExec) this.armStatus();
    } else if (slot.view !== this.curView) {
      slot.resetView(this.curView, this.n);
    }
    return slot;
  }

  /** Common view filter for phase messages: true if the message is for the current view now. */
  private admitViewed(from: number, msg: ViewedMessage): boolean {
    if (msg.replica !== from || !isInt(msg.view) || !isInt(msg.seq) || msg.view < 0) return false;
    this.noteSeq(msg.seq);
    if (msg.view < this.curView) return false;
    if (msg.view > this.curView || this.viewChanging) {
      this.bufferFuture(from, msg);
      return false;
    }
    return true;
  }

  private onPrePrepare(from: number, pp: PrePrepare): void {
    if (typeof pp.digest !== "string" || from !== primaryOf(pp.view, this.n, this.config.leaders)) return;
    if (!this.admitViewed(from, pp)) return;
    if (!this.acceptPrePrepareWindow(pp.seq)) {
      this.noteAboveWindow(from, pp.seq);
      return;
    }
    if (!Array.isArray(pp.requests) || !verifyBatch(pp, pp.requests, pp.digest, this.digests)) return;
    const slot = this.slotFor(pp.seq);
    if (slot.digest !== null) {
      // R-A3: same digest is a duplicate; a different one is the primary equivocating.
      if (slot.digest !== pp.digest) {
        this.observe({ type: "equivocation", view: pp.view, seq: pp.seq, digest: slot.digest, other: pp.digest, primary: from });
      }
      return;
    }
    slot.digest = pp.digest;
    slot.batch = pp.requests;
    if (pp.requests.length > 0) this.bodies.set(pp.digest, pp.requests);
    for (let i = 0; i < pp.requests.length; i++) this.notePending(pp.requests[i]!, this.curView);
    this.sendPrepare(slot);
    this.checkPrepared(slot);
  }

  private sendPrepare(slot: Slot): void {
    if (slot.sentPrepare || slot.digest === null) return;
    slot.sentPrepare = true;
    const p = makePrepare(this.curView, slot.seq, slot.digest, this.id);
    this.broadcast(p);
    slot.prepares.add(slot.digest, this.id);
  }

  private onPrepare(from: number, p: Prepare): void {
    if (typeof p.digest !== "string" || !this.admitViewed(from, p)) return;
    if (!this.inWindow(p.seq) && !this.hasAcceptedPrePrepare(p.seq)) {
      this.noteAboveWindow(from, p.seq);
      return;
    }
    const slot = this.slotFor(p.seq);
    if (slot.prepares.add(p.digest, from) < 0) return;
    if (slot.digest === p.digest) this.checkPrepared(slot);
  }

  /**
   * A pre-prepare for `seq` was accepted in the current view. Its PREPAREs / COMMITs are then in
   * window by construction (for a correct replica this never differs from inWindow(); it makes
   * acceptPrePrepareWindow() the single watermark decision for a slot).
   */
  private hasAcceptedPrePrepare(seq: number): boolean {
    const slot = this.slots.get(seq);
    return slot !== undefined && slot.view === this.curView && slot.digest !== null;
  }

  protected checkPrepared(slot: Slot): void {
    if (slot.prepared || slot.digest === null || !this.preparedPredicate(slot)) return;
    slot.prepared = true;
    const digest = slot.digest;
    this.observe({ type: "prepared", view: this.curView, seq: slot.seq, digest });
    this.pset.set(slot.seq, {
      seq: slot.seq,
      view: this.curView,
      digest,
      voters: slot.prepares.voters(digest) ?? new VoteSet(this.n),
      cert: null,
    });
    const c = makeCommit(this.curView, slot.seq, digest, this.id);
    this.broadcast(c);
    slot.commits.add(digest, this.id);
    if (this.executeOnPrepared()) this.markCommitted(slot);
    this.checkCommitted(slot);
  }

  private onCommit(from: number, c: Commit): void {
    if (typeof c.digest !== "string" || !this.admitViewed(from, c)) return;
    if (!this.inWindow(c.seq) && !this.hasAcceptedPrePrepare(c.seq)) {
      this.noteAboveWindow(from, c.seq);
      return;
    }
    const slot = this.slotFor(c.seq);
    if (slot.commits.add(c.digest, from) < 0) return;
    if (slot.digest === c.digest) this.checkCommitted(slot);
  }

  protected checkCommitted(slot: Slot): void {
    if (slot.committedInView || !this.committedPredicate(slot)) return;
    this.markCommitted(slot);
  }

  private markCommitted(slot: Slot): void {
    if (slot.committedInView || slot.digest === null) return;
    slot.committedInView = true;
    slot.commitVoters = slot.commits.voters(slot.digest);
    slot.commitView = this.curView;
    if (slot.committedDigest === null) slot.committedDigest = slot.digest;
    else if (slot.committedDigest !== slot.digest) this.alarm("commit-conflict", slot.seq);
    this.observe({ type: "committedLocal", view: this.curView, seq: slot.seq, digest: slot.digest });
    this.tryExecute();
  }

  // =======================================================================================
  // Execution (R-E1..4), replies, checkpoints (R-K1..6)
  // =======================================================================================

  protected tryExecute(): void {
    if (this.paused || this.executing) return;
    this.executing = true;
    this.executedSomething = false;
    for (;;) {
      const s = this.nextExecutable();
      if (s < 0) break;
      this.executeSlot(s);
    }
    this.executing = false;
    if (this.executedSomething) this.afterExecution();
  }

  private executeSlot(s: number): void {
    const slot = this.slots.get(s)!;
    const d = slot.committedDigest!;
    let done: Array<{ client: number; timestamp: number; digest: string; result: string }> = [];
    if (d !== NULL_DIGEST) {
      const reqs = this.bodyOf(d)!;
      // Sized for the batch, then cut to the requests executed: a push-grown array reserves 16 entries.
      done = new Array(reqs.length);
      let k = 0;
      for (let i = 0; i < reqs.length; i++) {
        const req = reqs[i]!;
        const rec = this.clientTable.get(req.client);
        if (rec !== undefined && req.timestamp <= rec.timestamp) continue;
        const result = this.app.execute(req.op, { client: req.client, timestamp: req.timestamp, seq: s });
        const nrec: ClientRecord = { timestamp: req.timestamp, result };
        this.clientTable.set(req.client, nrec);
        this.sendReply(req.client, nrec);
        done[k++] = { client: req.client, timestamp: req.timestamp, digest: req.digest, result };
        const e = this.pending.get(req.client);
        if (e !== undefined && e.req.timestamp <= req.timestamp) {
          this.pending.delete(req.client);
          if (e === this.reqTimerEntry) this.executedTracked = true;
        }
      }
      if (k < done.length) done.length = k;
    }
    slot.executed = true;
    if (s > this.lastExec) this.lastExec = s;
    this.executedSomething = true;
    this.observe({ type: "executed", view: this.curView, seq: s, digest: d, requests: done });
    if (s % this.config.checkpointInterval === 0) this.takeCheckpoint(s);
  }

  /** Timer bookkeeping after executions (§8.1, §8.2) and freeing of in-flight slots. */
  private afterExecution(): void {
    if (!this.viewChanging) {
      this.nvTimeout = this.config.newViewTimeout;
      this.timers.disarm("newView");
    }
    // Backups time the specific request they wait for (censorship is detected); the primary's own
    // timer restarts on any progress (it must not suspect itself merely for a long queue).
    if (
      this.timers.isArmed("request") &&
      (this.isPrimary || this.executedTracked || this.pending.get(this.reqTimerEntry!.req.client) !== this.reqTimerEntry)
    ) {
      this.reqTimerEntry = null;
      // With requests still pending the timer is re-armed just below (replacing the host's), unless a
      // view change is under way; then a late firing is stale.
      if (this.pending.size === 0) this.timers.disarm("request");
      else this.timers.drop("request");
    }
    this.executedTracked = false;
    this.startRequestTimerIfIdle();
    this.tryPropose(false);
  }

  private startRequestTimerIfIdle(): void {
    if (this.timers.isArmed("request") || this.viewChanging || this.timers.isArmed("newView") || this.pending.size === 0) return;
    this.reqTimerEntry = this.pending.values().next().value!;
    this.executedTracked = false;
    this.timers.arm("request", this.config.requestTimeout);
  }

  private takeCheckpoint(s: number): void {
    const appDigest = this.app.stateDigest();
    const digest = checkpointDigest(appDigest, this.clientTable.digest());
    this.own.set(s, {
      seq: s,
      digest,
      appDigest,
      snapshot: this.app.snapshot(),
      snapshotSize: this.app.snapshotSize(),
      table: this.clientTable.copy(),
    });
    this.observe({ type: "checkpoint", seq: s, stateDigest: digest, appDigest });
    const m = makeCheckpoint(s, digest, this.id);
    this.broadcast(m);
    this.addCheckpointVote(m);
    const c = this.certs.get(s);
    if (c !== undefined && s > this.h) {
      if (c.digest === digest) this.advanceStable(c.seq, c.digest, c.proof);
      else this.alarm("checkpoint-divergence", s);
    }
  }

  private onCheckpoint(from: number, m: Checkpoint): void {
    if (m.replica !== from || !isInt(m.seq) || m.seq <= 0 || typeof m.digest !== "string") return;
    if (m.seq % this.config.checkpointInterval !== 0) return;
    this.noteSeq(m.seq);
    this.notePeerAt(from, m.seq);
    this.addCheckpointVote(m);
  }

  private addCheckpointVote(m: Checkpoint): void {
    if (m.seq <= this.h) return;
    const count = this.ckVotes.add(m, this.h);
    if (count < 0) return;
    const mine = this.own.get(m.seq);
    if (mine !== undefined && mine.digest !== m.digest && count === this.config.weakQuorum) {
      this.alarm("checkpoint-divergence", m.seq);
    }
    // R-K6: f faulty replicas account for at most f wrong digests besides the correct one; one more means
    // correct replicas disagree (or more than f are faulty) and no checkpoint can become stable here.
    if (count === 1 && this.ckVotes.distinct(m.seq) === this.config.weakQuorum + 1) this.alarm("checkpoint-split", m.seq);
    if (count === this.quorum()) {
      const dv = this.ckVotes.votes(m.seq, m.digest)!;
      this.onStableCertificate(m.seq, m.digest, dv.msgs.slice(0, this.quorum()));
    }
    if (m.replica !== this.id && m.seq > this.highWater()) this.checkFallenBehind();
  }

  /** A checkpoint proven stable by Q matching CHECKPOINTs (R-K2). */
  private onStableCertificate(seq: number, digest: string, proof: ReadonlyArray<Checkpoint>): void {
    if (seq <= this.h) return;
    if (!this.certs.has(seq)) this.certs.set(seq, { seq, digest, proof });
    if (seq > this.stableKnown) this.stableKnown = seq;
    const mine = this.own.get(seq);
    if (mine !== undefined) {
      if (mine.digest === digest) this.advanceStable(seq, digest, proof);
      else this.alarm("checkpoint-divergence", seq);
      return;
    }
    if (this.lastExec < seq) this.behind(false);
  }

  /** R-K3: new stable checkpoint reached by this replica: move h and garbage-collect. */
  protected advanceStable(seq: number, digest: string, proof: ReadonlyArray<Checkpoint>): void {
    if (seq <= this.h) return;
    this.h = seq;
    this.stableDigest = digest;
    this.stableProof = proof;
    if (seq > this.stableKnown) this.stableKnown = seq;
    for (const s of this.pset.keys()) if (s <= seq) this.pset.delete(s);
    const collected = this.dropSlots(seq, Number.POSITIVE_INFINITY, false);
    for (const s of this.own.keys()) if (s < seq) this.own.delete(s);
    for (const s of this.certs.keys()) if (s <= seq) this.certs.delete(s);
    this.ckVotes.gc(seq);
    if (this.farAhead.count > 0) this.farAhead = new VoteSet(this.n);
    const mine = this.own.get(seq);
    this.observe({ type: "checkpointStable", seq, stateDigest: digest, appDigest: mine?.appDigest ?? "", collected });
    if (this.xfer !== null && this.xfer.seq <= seq) this.endTransfer(false);
    if (this.stableKnown <= this.lastExec) this.timers.disarm("catchUp");
    this.watchLaggards();
    this.tryPropose(false);
  }

  /**
   * Deletes slots with seq ≤ lo or seq > hi (keeping committed ones if `keepCommitted`) and the
   * request bodies no remaining slot refers to. Returns the number of slots deleted.
   */
  private dropSlots(lo: number, hi: number, keepCommitted: boolean): number {
    const dropped: string[] = [];
    let deleted = 0;
    for (const [s, slot] of this.slots) {
      if ((s > lo && s <= hi) || (keepCommitted && slot.committedDigest !== null)) continue;
      if (slot.digest !== null) dropped.push(slot.digest);
      if (slot.committedDigest !== null) dropped.push(slot.committedDigest);
      this.slots.delete(s);
      deleted++;
    }
    if (dropped.length === 0) return deleted;
    // Bodies of prepared certificates stay: a later NEW-VIEW may re-propose them.
    const live = new Set<string>();
    for (const slot of this.slots.values()) {
      if (slot.digest !== null) live.add(slot.digest);
      if (slot.committedDigest !== null) live.add(slot.committedDigest);
    }
    for (const e of this.pset.values()) live.add(e.digest);
    for (const d of dropped) {
      if (!live.has(d)) {
        this.bodies.delete(d);
        this.missing.delete(d);
      }
    }
    return deleted;
  }

  /** Upper bound of the acceptance window: H = max(h, highest proven stable checkpoint) + L. */
  protected highWater(): number {
    return Math.max(this.h, this.stableKnown) + this.config.logWindow;
  }

  // =======================================================================================
  // Falling behind and state transfer (R-K4, R-K5, §10.2)
  // =======================================================================================

  /** A stable checkpoint exists above lastExec: transfer now or after the catch-up grace period. */
  private behind(immediate: boolean): void {
    if (this.xfer !== null || this.paused) return;
    let best: StableCert | null = null;
    for (const c of this.certs.values()) if (c.seq > this.lastExec && (best === null || c.seq > best.seq)) best = c;
    if (best === null) return;
    if (immediate || this.config.catchUpDelay <= 0) {
      this.startTransfer(best.seq, best.digest, best.proof.map((m) => m.replica));
    } else if (!this.timers.isArmed("catchUp")) {
      this.timers.arm("catchUp", this.config.catchUpDelay);
    }
  }

  /**
   * R-T1 (§8.6): an expiring request or new-view timer finds this replica behind the group rather than
   * waiting on the primary, so it must not suspect the primary yet. Behind for sure: a state transfer is
   * under way, a stable checkpoint above lastExec is known (the transfer starts now, without the grace
   * period), or f + 1 replicas were seen working above its window (one of them is correct) — it keeps
   * deferring, asking its peers where they are (STATUS) each period. Maybe behind: a slot above its last
   * executed one was ordered in this view — prepared or committed here, or COMMITted by f + 1 other
   * replicas (one of them correct and prepared, so the primary did order it); then the replica asks for
   * what it lacks once per execution position and view before it suspects, so f liars cannot stall a
   * suspicion for more than one extra period per executed request and view. `periodSec` is the period
   * of the expiring timer; the request and new-view timers share one deferral (both are armed at once
   * when a NEW-VIEW's installation executes something).
   */
  protected catchingUp(periodSec: number): boolean {
    if (this.xfer !== null) return true;
    if (this.stableKnown > this.lastExec && !this.paused) {
      this.behind(true);
      return true;
    }
    if (this.farAhead.count < this.config.weakQuorum) {
      // Already deferred here: the other timer (request or new-view) expiring inside that period waits
      // for the answers too (it is re-armed); the first expiry after the period suspects.
      if (this.deferredAt === this.lastExec && this.deferredView === this.curView) return this.now < this.deferredUntil;
      if (!this.orderedAhead()) return false;
      this.deferredAt = this.lastExec;
      this.deferredView = this.curView;
      this.deferredUntil = this.now + periodSec;
    }
    this.broadcastStatus();
    // Ask once more halfway through the deferred period if nothing executes (the first STATUS or its
    // answers may be lost too): the status timer re-sends when there was no progress.
    this.statusMark = this.lastExec;
    this.timers.arm("status", Math.min(this.config.statusInterval, this.config.requestTimeout / 2));
    return true;
  }

  /** A phase message of the current view above the window: its sender works where this replica cannot (R-T1). */
  private noteAboveWindow(from: number, seq: number): void {
    if (seq > this.highWater()) this.farAhead.add(from);
  }

  /**
   * Some slot above lastExec was ordered in the current view without this replica executing it yet:
   * prepared or committed here (the primary ordered it and a quorum accepted), or COMMITted by f + 1
   * other replicas (one of them correct and prepared).
   */
  private orderedAhead(): boolean {
    for (const [seq, slot] of this.slots) {
      if (seq <= this.lastExec || slot.view !== this.curView) continue;
      if (slot.prepared || slot.committedDigest !== null || this.othersCommits(slot) >= this.config.weakQuorum) return true;
    }
    return false;
  }

  /** Most COMMITs from other replicas for one digest of the slot (any digest). */
  private othersCommits(slot: Slot): number {
    let best = 0;
    for (const [, ids] of slot.commits.entries()) {
      const c = ids.length - (ids.includes(this.id) ? 1 : 0);
      if (c > best) best = c;
    }
    return best;
  }

  /** R-K5: f+1 replicas report checkpoints above H: fetch the newest weakly certified one. */
  private checkFallenBehind(): void {
    if (this.xfer !== null || this.paused) return;
    const H = this.highWater();
    if (this.ckVotes.sendersAbove(H, this.id) < this.config.weakQuorum) return;
    const t = this.ckVotes.bestAbove(H, this.config.weakQuorum);
    if (t === null || t.seq <= this.lastExec) return;
    if (t.votes.set.count >= this.quorum() && !this.certs.has(t.seq)) {
      this.certs.set(t.seq, { seq: t.seq, digest: t.digest, proof: t.votes.msgs.slice(0, this.quorum()) });
      if (t.seq > this.stableKnown) this.stableKnown = t.seq;
    }
    this.startTransfer(t.seq, t.digest, t.votes.set.toArray());
  }

  private startTransfer(seq: number, digest: string, members: ReadonlyArray<number>): void {
    if (this.xfer !== null || seq <= this.lastExec) return;
    const candidates = [...new Set(members)].filter((j) => j !== this.id && j >= 0 && j < this.n).sort((a, b) => a - b);
    if (candidates.length === 0) return;
    this.timers.disarm("catchUp");
    this.xfer = { seq, digest, candidates, idx: 0 };
    this.observe({ type: "stateTransferStarted", seq, fromSeq: this.lastExec });
    this.sendFetchState();
  }

  private sendFetchState(): void {
    const x = this.xfer!;
    const to = x.candidates[x.idx % x.candidates.length]!;
    const m: FetchState = { type: "fetch-state", seq: x.seq, digest: x.digest, replica: this.id };
    this.send(to, m);
    this.timers.arm("stateTransfer", this.config.stateTransferTimeout);
  }

  private onTransferTimeout(): void {
    const x = this.xfer;
    if (x === null) return;
    x.idx++;
    if (x.idx % x.candidates.length === 0) {
      // Every member tried once: move to a newer certified checkpoint if one is known.
      let best: StableCert | null = null;
      for (const c of this.certs.values()) if (c.seq > x.seq && (best === null || c.seq > best.seq)) best = c;
      if (best !== null) {
        this.xfer = null;
        this.startTransfer(best.seq, best.digest, best.proof.map((m) => m.replica));
        return;
      }
    }
    this.sendFetchState();
  }

  /** `installed`: the fetched state was installed (observed as stateTransferred by the caller). */
  private endTransfer(installed: boolean): void {
    const seq = this.xfer!.seq;
    this.xfer = null;
    this.timers.disarm("stateTransfer");
    if (!installed) this.observe({ type: "stateTransferEnded", seq });
  }

  private onFetchState(from: number, m: FetchState): void {
    if (m.replica !== from || !isInt(m.seq)) return;
    const exact = this.own.get(m.seq);
    let src: OwnCheckpoint | undefined;
    let proof: ReadonlyArray<Checkpoint> = [];
    if (exact !== undefined && exact.digest === m.digest) {
      src = exact;
      if (m.seq === this.h) proof = this.stableProof;
      else proof = this.certs.get(m.seq)?.proof ?? [];
    } else if (this.h > m.seq) {
      src = this.own.get(this.h);
      proof = this.stableProof;
    }
    if (src === undefined) return;
    const reply = makeStateMessage(src.seq, src.digest, this.id, src.snapshot, src.snapshotSize, src.table.entries(), proof);
    this.send(from, reply);
  }

  private onState(from: number, m: StateMessage): void {
    if (m.replica === from && isInt(m.seq)) this.notePeerAt(from, m.seq);
    const x = this.xfer;
    if (x === null || m.replica !== from || !isInt(m.seq) || !Array.isArray(m.clientTable)) return;
    const proofOk = Array.isArray(m.proof) && m.proof.length > 0 && this.validCheckpointProof(m.seq, m.digest, m.proof);
    const exact = m.seq === x.seq && m.digest === x.digest;
    if (!exact && !(m.seq > x.seq && proofOk)) return;
    if (m.seq <= this.lastExec) {
      this.endTransfer(false);
      return;
    }
    const backup = this.app.snapshot();
    let table: ClientTable;
    let appDigest: string;
    try {
      this.app.restore(m.snapshot);
      table = ClientTable.fromEntries(m.clientTable);
      appDigest = this.app.stateDigest();
    } catch {
      this.app.restore(backup);
      return;
    }
    const digest = checkpointDigest(appDigest, table.digest());
    if (digest !== m.digest) {
      this.app.restore(backup);
      x.idx++;
      this.sendFetchState();
      return;
    }
    const fromSeq = this.lastExec;
    this.clientTable = table;
    this.lastExec = m.seq;
    this.own.set(m.seq, {
      seq: m.seq,
      digest,
      appDigest,
      snapshot: m.snapshot,
      snapshotSize: m.snapshotSize,
      table: table.copy(),
    });
    if (m.seq > this.nextSeq) this.nextSeq = m.seq;
    for (const [c, e] of this.pending) {
      const rec = table.get(c);
      if (rec !== undefined && rec.timestamp >= e.req.timestamp) {
        this.pending.delete(c);
        if (e === this.reqTimerEntry) this.executedTracked = true;
      }
    }
    this.endTransfer(true);
    this.observe({ type: "stateTransferred", fromSeq, toSeq: m.seq, stateDigest: digest, appDigest });
    const cert = this.certs.get(m.seq);
    if (proofOk) this.advanceStable(m.seq, m.digest, m.proof);
    else if (cert !== undefined && cert.digest === digest) this.advanceStable(m.seq, digest, cert.proof);
    else {
      const dv = this.ckVotes.votes(m.seq, digest);
      if (dv !== undefined && dv.set.count >= this.quorum()) this.advanceStable(m.seq, digest, dv.msgs.slice(0, this.quorum()));
    }
    this.executedSomething = true;
    this.afterExecution();
    this.tryExecute();
    this.behind(false);
    // We were behind: ask peers for whatever was ordered after the checkpoint.
    this.broadcastStatus();
    this.armStatus();
  }

  // =======================================================================================
  // Missing request bodies
  // =======================================================================================

  protected bodyOf(digest: string): ReadonlyArray<Request> | null {
    if (digest === NULL_DIGEST) return EMPTY_BATCH;
    return this.bodies.get(digest) ?? null;
  }

  private requestBody(digest: string, members: ReadonlyArray<number> | null): void {
    if (digest === NULL_DIGEST || this.bodies.has(digest) || this.missing.has(digest)) return;
    let candidates = (members ?? []).filter((j) => j !== this.id);
    if (candidates.length === 0) {
      candidates = [];
      for (let j = 0; j < this.n; j++) if (j !== this.id) candidates.push(j);
    }
    if (candidates.length === 0) return;
    this.missing.set(digest, { candidates, idx: 0 });
    this.send(candidates[0]!, { type: "fetch-batch", digest, replica: this.id });
    if (!this.timers.isArmed("fetchBatch")) this.timers.arm("fetchBatch", this.config.fetchTimeout);
  }

  /** The fetch timer fired (it is no longer armed): re-ask the next candidate for every missing body. */
  private onFetchTimeout(): void {
    if (this.missing.size === 0) return;
    for (const [digest, mb] of this.missing) {
      mb.idx++;
      this.send(mb.candidates[mb.idx % mb.candidates.length]!, { type: "fetch-batch", digest, replica: this.id });
    }
    this.timers.arm("fetchBatch", this.config.fetchTimeout);
  }

  private onFetchBatch(from: number, m: FetchBatch): void {
    if (m.replica !== from || typeof m.digest !== "string") return;
    const b = this.bodies.get(m.digest);
    if (b === undefined) return;
    const reply: BatchMessage = { type: "batch", digest: m.digest, replica: this.id, requests: b };
    this.send(from, reply);
  }

  private onBatch(from: number, m: BatchMessage): void {
    if (m.replica !== from || !this.missing.has(m.digest)) return;
    if (!Array.isArray(m.requests) || !verifyBatch(m, m.requests, m.digest, this.digests)) return;
    this.missing.delete(m.digest);
    this.bodies.set(m.digest, m.requests);
    this.observe({ type: "bodyFetched", digest: m.digest });
    for (const slot of this.slots.values()) {
      if (slot.digest === m.digest && slot.batch === null) {
        slot.batch = m.requests;
        if (slot.view === this.curView && !this.viewChanging) {
          for (const r of m.requests) this.notePending(r, this.curView);
        }
      }
    }
    if (this.missing.size === 0) this.timers.disarm("fetchBatch");
    this.tryExecute();
  }

  // =======================================================================================
  // View change (§7) and liveness timers (§8)
  // =======================================================================================

  /** Enters VIEW_CHANGING(newView) and multicasts VIEW-CHANGE (§7.2, §7.3). */
  protected startViewChange(newView: number): void {
    if (newView <= this.curView) return;
    this.curView = newView;
    this.viewChanging = true;
    if (this.timers.isArmed("request")) {
      this.reqTimerEntry = null;
      this.timers.disarm("request");
    }
    this.timers.disarm("batch");
    this.timers.disarm("newView");
    this.queue = [];
    this.queueHead = 0;
    this.observe({ type: "viewChangeStarted", view: newView });
    const vc = this.buildViewChange();
    this.ownViewChange = vc;
    this.validatedVC.add(vc);
    this.storeViewChange(this.id, vc);
    this.recomputeAhead();
    this.dropFutureBelow();
    this.broadcast(vc);
    this.timers.arm("viewChangeResend", this.config.viewChangeResendInterval);
    this.armStatus();
    this.checkJoin();
    this.checkViewChangeQuorum();
  }

  /**
   * §7.3: n_s is the last stable checkpoint this replica *knows* (Castro–Liskov: "the last stable
   * checkpoint known to i", with its proof), not only the one it has reached: a replica behind its
   * group (state transfer pending) accepts pre-prepares up to highWater() = stableKnown + L and may
   * prepare and commit them, so its P must cover (stableKnown, stableKnown + L]. Reporting only
   * (h, h + L] dropped those certificates, and a NEW-VIEW could re-propose another request at a
   * sequence number already committed (found by the Twins search, scenarios/attacks/twins-search.yaml
   * seed 64; regression tests in test/world/pbft/twins.test.ts, on seed 2421 since issue 17's timer
   * changes, and test/protocols/pbft/viewchange.test.ts).
   */
  private buildViewChange(): ViewChange {
    const prepared: PreparedCert[] = [];
    const seqs = [...this.pset.keys()].sort((a, b) => a - b);
    let stableSeq = this.h;
    let stableDigest = this.stableDigest;
    let proof = this.stableProof;
    const known = this.stableKnown > this.h ? this.certs.get(this.stableKnown) : undefined;
    if (known !== undefined) {
      stableSeq = known.seq;
      stableDigest = known.digest;
      proof = known.proof;
    }
    const hi = stableSeq + this.config.logWindow;
    for (const s of seqs) {
      if (s <= stableSeq || s > hi) continue;
      const e = this.pset.get(s)!;
      if (!this.keepsPreparedCert(e.view)) continue;
      if (e.cert === null) {
        const view = e.view;
        const prepares = e.voters.toArray(this.prepareQuorum(), (j) => !this.countsPrepareFrom(j, view));
        e.cert = { seq: e.seq, view, digest: e.digest, prepares };
      }
      prepared.push(e.cert);
    }
    return makeViewChange(this.curView, this.id, stableSeq, stableDigest, proof, prepared);
  }

  private storeViewChange(j: number, vc: ViewChange): void {
    const prev = this.vcBySender[j];
    if (prev !== undefined) {
      const c = (this.vcCount.get(prev.view) ?? 1) - 1;
      if (c <= 0) this.vcCount.delete(prev.view);
      else this.vcCount.set(prev.view, c);
      if (j !== this.id && prev.view > this.curView) this.aheadCount--;
    }
    this.vcBySender[j] = vc;
    this.vcCount.set(vc.view, (this.vcCount.get(vc.view) ?? 0) + 1);
    if (j !== this.id && vc.view > this.curView) this.aheadCount++;
  }

  private recomputeAhead(): void {
    let c = 0;
    for (let j = 0; j < this.n; j++) {
      const vc = this.vcBySender[j];
      if (j !== this.id && vc !== undefined && vc.view > this.curView) c++;
    }
    this.aheadCount = c;
  }

  /** §8.3: f+1 other replicas ask for views above ours → join the smallest of them. */
  private checkJoin(): void {
    if (this.aheadCount < this.config.weakQuorum) return;
    let target = Number.POSITIVE_INFINITY;
    for (let j = 0; j < this.n; j++) {
      const vc = this.vcBySender[j];
      if (j !== this.id && vc !== undefined && vc.view > this.curView && vc.view < target) target = vc.view;
    }
    this.startViewChange(target);
  }

  /**
   * §8.2 / §7.5: once Q replicas ask for our target view or a later one, start the new-view timer
   * (counting later views too avoids a deadlock when a replica already moved on and no longer
   * re-sends its VIEW-CHANGE for our view); with Q for exactly our view the new primary builds NEW-VIEW.
   */
  private checkViewChangeQuorum(): void {
    if (!this.viewChanging) return;
    const exact = this.vcCount.get(this.curView) ?? 0;
    if (!this.timers.isArmed("newView")) {
      let atOrAbove = 0;
      for (const [v, c] of this.vcCount) if (v >= this.curView) atOrAbove += c;
      if (atOrAbove >= this.quorum()) this.timers.arm("newView", this.nvTimeout);
    }
    if (exact >= this.newViewQuorum() && primaryOf(this.curView, this.n, this.config.leaders) === this.id && this.nvSentView !== this.curView) {
      this.sendNewView();
    }
  }

  private onViewChange(from: number, vc: ViewChange): void {
    if (vc.replica !== from || !isInt(vc.view)) return;
    const stale = this.viewChanging ? vc.view < this.curView : vc.view <= this.curView;
    if (stale) {
      // The sender missed a NEW-VIEW we installed: hand it over (§10.1 retransmission).
      if (!this.viewChanging && this.lastNewView !== null && this.lastNewView.view === this.curView) {
        this.send(from, this.lastNewView);
      }
      return;
    }
    const prev = this.vcBySender[from];
    if (prev !== undefined && prev.view >= vc.view) return;
    if (!this.validateViewChange(vc)) return;
    this.storeViewChange(from, vc);
    this.notePeerAt(from, vc.stableSeq);
    if (this.followPrimary()) return;
    this.checkJoin();
    this.checkViewChangeQuorum();
  }

  /**
   * §8.3 (R-V1): the primary of the current view asks for a later view — it has given up on its own
   * view, which cannot progress without it — so a backup in normal mode moves to the next view at once
   * (Castro's BFT library does the same). Only to v + 1: a faulty primary could stall its view anyway,
   * but it cannot make the group skip the views of correct primaries.
   */
  private followPrimary(): boolean {
    if (this.viewChanging) return false;
    const p = this.primary;
    const vc = this.vcBySender[p];
    if (p === this.id || vc === undefined || vc.view <= this.curView) return false;
    this.startViewChange(this.curView + 1);
    return true;
  }

  /** §7.4: checkpoint proof and prepared certificates of a VIEW-CHANGE are well formed. */
  protected validateViewChange(vc: ViewChange): boolean {
    if (this.validatedVC.has(vc)) return true;
    if (typeof vc !== "object" || vc === null || vc.type !== "view-change") return false;
    if (!isInt(vc.view) || vc.view < 1 || !isInt(vc.replica) || vc.replica < 0 || vc.replica >= this.n) return false;
    if (!isInt(vc.stableSeq) || vc.stableSeq < 0 || typeof vc.stableDigest !== "string") return false;
    if (!Array.isArray(vc.proof) || !Array.isArray(vc.prepared)) return false;
    if (vc.stableSeq > 0 && !this.validCheckpointProof(vc.stableSeq, vc.stableDigest, vc.proof)) return false;
    let last = vc.stableSeq;
    for (const c of vc.prepared) {
      if (typeof c !== "object" || c === null || !isInt(c.seq) || !isInt(c.view) || typeof c.digest !== "string") return false;
      if (c.seq <= last || c.seq > vc.stableSeq + this.config.logWindow) return false;
      if (c.view < 0 || c.view >= vc.view) return false;
      if (!this.validPreparedCert(c)) return false;
      last = c.seq;
    }
    this.validatedVC.add(vc);
    return true;
  }

  /** A prepared certificate: ≥ prepareQuorum() distinct counted backups (ids strictly ascending). */
  protected validPreparedCert(c: PreparedCert): boolean {
    if (!Array.isArray(c.prepares) || c.prepares.length < this.prepareQuorum()) return false;
    let last = -1;
    for (const j of c.prepares) {
      if (!isInt(j) || j <= last || j >= this.n || !this.countsPrepareFrom(j, c.view)) return false;
      last = j;
    }
    return true;
  }

  /**
   * Q CHECKPOINT messages from distinct replicas for (seq, digest), each signed by the replica it names
   * (§1.4: checked against the world's signature oracle when there is one).
   */
  protected validCheckpointProof(seq: number, digest: string, proof: ReadonlyArray<Checkpoint>): boolean {
    if (!Array.isArray(proof) || proof.length < this.quorum()) return false;
    const sigs = this.digests.signatures;
    const seen = new VoteSet(this.n);
    for (const m of proof) {
      if (typeof m !== "object" || m === null || m.type !== "checkpoint") return false;
      if (m.seq !== seq || m.digest !== digest || !isInt(m.replica) || m.replica < 0 || m.replica >= this.n) return false;
      if (sigs !== null && !sigs.signed(m)) return false;
      seen.add(m.replica);
    }
    return seen.count >= this.quorum();
  }

  /** New primary: V = own VIEW-CHANGE + the first Q−1 others by sender id; compute O; install (§7.5). */
  private sendNewView(): void {
    const v = this.curView;
    const vcs: ViewChange[] = [this.ownViewChange!];
    for (let j = 0; j < this.n && vcs.length < this.newViewQuorum(); j++) {
      const vc = this.vcBySender[j];
      if (j !== this.id && vc !== undefined && vc.view === v) vcs.push(vc);
    }
    vcs.sort((a, b) => a.replica - b.replica);
    const plan = this.newViewPlan(vcs);
    const nv = makeNewView(v, this.id, vcs, plan);
    this.nvSentView = v;
    this.broadcast(nv);
    this.installNewView(nv, plan);
  }

  /**
   * NEW-VIEW from its primary, or relayed by another replica (it is signed by the primary and
   * certified by V, so a relay is as good as the original; content is re-validated in full).
   */
  private onNewView(_from: number, nv: NewView): void {
    if (typeof nv !== "object" || nv === null || !isInt(nv.view) || nv.replica !== primaryOf(nv.view, this.n, this.config.leaders)) return;
    if (nv.replica === this.id) return;
    if (nv.view < this.curView || (nv.view === this.curView && !this.viewChanging)) return;
    if (!Array.isArray(nv.viewChanges) || !Array.isArray(nv.prePrepares)) return;
    if (nv.viewChanges.length < this.newViewQuorum()) return;
    let last = -1;
    for (const vc of nv.viewChanges) {
      if (typeof vc !== "object" || vc === null || vc.view !== nv.view || !isInt(vc.replica) || vc.replica <= last) return;
      if (!this.validateViewChange(vc)) return;
      last = vc.replica;
    }
    const plan = this.newViewPlan(nv.viewChanges);
    if (plan.minS !== nv.minS || plan.maxS !== nv.maxS || plan.slots.length !== nv.prePrepares.length) return;
    for (let i = 0; i < plan.slots.length; i++) {
      const p = nv.prePrepares[i]!;
      const s = plan.slots[i]!;
      if (typeof p !== "object" || p === null || p.type !== "pre-prepare") return;
      if (p.view !== nv.view || p.seq !== s.seq || p.digest !== s.digest || p.replica !== nv.replica) return;
    }
    const skipped = nv.view > this.curView;
    this.installNewView(nv, plan);
    if (skipped) {
      // §10.1: a view this replica never asked for — it was cut off, so it asks where the group is
      // (the negative acknowledgement of Castro's library on a message from a later view).
      this.broadcastStatus();
      this.armStatus();
    }
  }

  /** §7.7: adopt the checkpoint, log O, prepare it, resume the normal case in the new view. */
  private installNewView(nv: NewView, plan: NewViewPlan): void {
    const v = nv.view;
    this.curView = v;
    this.viewChanging = false;
    this.lastNewView = nv;
    if (this.timers.isArmed("request")) {
      this.reqTimerEntry = null;
      this.timers.disarm("request");
    }
    this.timers.disarm("batch");
    this.timers.disarm("viewChangeResend");
    this.recomputeAhead();
    for (const k of this.vcCount.keys()) if (k <= v) this.vcCount.delete(k);
    for (const k of this.futureSenders.keys()) if (k <= v) this.futureSenders.delete(k);
    let nullFills = 0;
    for (const s of plan.slots) if (s.digest === NULL_DIGEST) nullFills++;
    this.observe({ type: "newViewInstalled", view: v, oSet: plan.slots.length, nullFills });
    for (const s of plan.slots) if (s.tie) this.alarm("certificate-tie", s.seq);
    if (plan.checkpointConflict) this.alarm("checkpoint-conflict-in-new-view", plan.minS);

    // 1. checkpoint at min-s
    if (plan.minS > this.h) {
      const mine = this.own.get(plan.minS);
      if (mine !== undefined && mine.digest === plan.minDigest) {
        this.advanceStable(plan.minS, plan.minDigest, plan.minProof);
      } else {
        if (mine !== undefined) this.alarm("checkpoint-divergence", plan.minS);
        if (!this.certs.has(plan.minS)) {
          this.certs.set(plan.minS, { seq: plan.minS, digest: plan.minDigest, proof: plan.minProof });
        }
        if (plan.minS > this.stableKnown) this.stableKnown = plan.minS;
      }
    }

    // 2./3. drop stale phase state above max-s, log O and prepare it
    this.dropSlots(Number.NEGATIVE_INFINITY, plan.maxS, true);
    const isPrimary = primaryOf(v, this.n, this.config.leaders) === this.id;
    for (const p of nv.prePrepares) {
      if (p.seq <= this.h) continue;
      const slot = this.slotFor(p.seq);
      slot.digest = p.digest;
      slot.batch = this.bodyOf(p.digest);
      if (slot.committedDigest !== null && slot.committedDigest !== p.digest) this.alarm("commit-conflict", p.seq);
      if (slot.batch === null) {
        this.requestBody(p.digest, this.bodyHolders(nv, p.digest));
      } else {
        for (const r of slot.batch) this.notePending(r, v);
      }
      if (!isPrimary) this.sendPrepare(slot);
    }
    this.nextSeq = Math.max(plan.maxS, this.h);

    // 4. resume normal processing: replay buffered messages of this view
    this.replayFuture();
    for (const p of nv.prePrepares) {
      const slot = this.slots.get(p.seq);
      if (slot !== undefined && slot.view === v) this.checkPrepared(slot);
    }

    // 6. pending requests and timers
    this.queue = [];
    this.queueHead = 0;
    if (isPrimary) {
      for (const e of this.pending.values()) {
        if (e.assignedView !== v) {
          e.queuedView = v;
          this.queue.push(e);
        }
      }
    }
    const work = this.pending.size > 0 || plan.maxS > this.lastExec;
    if (work && !this.timers.isArmed("newView")) this.timers.arm("newView", this.nvTimeout);
    else if (!work) this.timers.disarm("newView");
    this.tryExecute();
    this.tryPropose(false);
    if (this.lastExec < this.stableKnown) this.behind(true);
    this.followPrimary();
  }

  /** Replicas likely to hold the body of `digest`: certificate holders in V, then the new primary. */
  private bodyHolders(nv: NewView, digest: string): number[] {
    const set = new Set<number>();
    for (const vc of nv.viewChanges) {
      for (const c of vc.prepared) {
        if (c.digest !== digest) continue;
        set.add(vc.replica);
        for (const j of c.prepares) set.add(j);
        set.add(primaryOf(c.view, this.n, this.config.leaders));
      }
    }
    set.add(nv.replica);
    set.delete(this.id);
    return [...set].sort((a, b) => a - b);
  }

  private onFetchNewView(from: number, m: FetchNewView): void {
    if (m.replica !== from || !isInt(m.view)) return;
    const nv = this.lastNewView;
    if (nv !== null && nv.view >= m.view) this.send(from, nv);
  }

  // ---- future-view buffering (§5.6) -------------------------------------------------------

  private bufferFuture(from: number, msg: ViewedMessage): void {
    if (this.futureCount[from]! >= this.config.futureBufferPerSender) return;
    this.futureCount[from]!++;
    this.future.push({ from, msg });
    if (msg.view > this.curView) {
      let set = this.futureSenders.get(msg.view);
      if (set === undefined) {
        set = new VoteSet(this.n);
        this.futureSenders.set(msg.view, set);
      }
      if (set.add(from) && set.count >= this.config.weakQuorum && this.nvFetchView < msg.view) {
        // f+1 replicas already work in a later view: ask them for its NEW-VIEW.
        this.nvFetchView = msg.view;
        const req: FetchNewView = { type: "fetch-new-view", view: msg.view, replica: this.id };
        for (const j of set.toArray()) this.send(j, req);
      }
    }
  }

  private dropFutureBelow(): void {
    if (this.future.length === 0) return;
    const keep: Array<{ from: number; msg: ViewedMessage }> = [];
    this.futureCount.fill(0);
    for (const b of this.future) {
      if (b.msg.view >= this.curView) {
        keep.push(b);
        this.futureCount[b.from]!++;
      }
    }
    this.future = keep;
  }

  private replayFuture(): void {
    if (this.future.length === 0) return;
    const buf = this.future;
    this.future = [];
    this.futureCount.fill(0);
    for (const b of buf) {
      if (b.msg.view === this.curView && !this.viewChanging) this.dispatch(b.from, b.msg);
      else if (b.msg.view > this.curView) {
        this.future.push(b);
        this.futureCount[b.from]!++;
      }
    }
  }

  // =======================================================================================
  // STATUS-based retransmission (§10.1)
  // =======================================================================================

  private armStatus(): void {
    if (this.timers.isArmed("status")) return;
    this.statusMark = this.lastExec;
    this.timers.arm("status", this.config.statusInterval);
  }

  /** Remembers the highest sequence number peers are working on (any view, in window or not). */
  private noteSeq(seq: number): void {
    if (seq <= this.seenAhead) return;
    this.seenAhead = seq;
    if (seq > this.lastExec) this.armStatus();
  }

  private hasOutstandingWork(): boolean {
    if (this.viewChanging || this.pending.size > 0 || this.xfer !== null || this.seenAhead > this.lastExec) return true;
    if (this.announceLeft > 0) return true;
    for (const s of this.slots.keys()) if (s > this.lastExec) return true;
    return false;
  }

  /** No progress since the timer was armed while work is outstanding: advertise our position. */
  private onStatusTimer(): void {
    if (!this.hasOutstandingWork()) return;
    if (this.lastExec === this.statusMark) {
      this.broadcastStatus();
      if (this.announceLeft > 0) this.announceLeft--;
    } else {
      this.announceLeft = 0;
    }
    this.armStatus();
  }

  /**
   * A peer was heard at `seq`: a CHECKPOINT it took, the last executed number of its STATUS, the
   * checkpoint of its STABLE-PROOF, STATE or VIEW-CHANGE, the commit certificates it holds.
   */
  private notePeerAt(j: number, seq: number): void {
    if (seq <= this.peerAt[j]!) return;
    this.peerAt[j] = seq;
    this.pushAt[j] = 0;
    this.pushGap[j] = this.config.statusInterval;
  }

  /**
   * R-K7 (§10.1): a peer not heard to have reached the checkpoint before this replica's stable one is
   * lagging (it was cut off, crashed, or lost the CHECKPOINTs), and once the group goes quiet nothing
   * else would tell it. Checked whenever a checkpoint becomes stable: a lagging peer is sent the stable
   * checkpoint's proof one status interval later, and again after a gap that doubles up to four status
   * intervals, until it is heard at or beyond that checkpoint (its CHECKPOINT or STATUS).
   */
  protected watchLaggards(): void {
    if (this.timers.isArmed("laggard") || this.firstLaggard() < 0) return;
    this.timers.arm("laggard", this.config.statusInterval);
  }

  /** The lowest-id peer lagging behind the checkpoint before this replica's stable one (−1: none). */
  private firstLaggard(): number {
    const lagBelow = this.h - this.config.checkpointInterval;
    if (lagBelow <= 0) return -1;
    for (let j = 0; j < this.n; j++) if (j !== this.id && this.peerAt[j]! < lagBelow) return j;
    return -1;
  }

  /** The laggard timer fired: push the stable proof to every lagging peer that is due, re-arm while one lags. */
  private pushToLaggards(): void {
    const lagBelow = this.h - this.config.checkpointInterval;
    let next = Number.POSITIVE_INFINITY;
    let proof: StableProof | null = null;
    for (let j = 0; j < this.n; j++) {
      if (j === this.id || lagBelow <= 0 || this.peerAt[j]! >= lagBelow) continue;
      if (this.now >= this.pushAt[j]!) {
        proof ??= { type: "stable-proof", replica: this.id, seq: this.h, digest: this.stableDigest, proof: this.stableProof };
        this.send(j, proof);
        this.pushAt[j] = this.now + this.pushGap[j]!;
        this.pushGap[j] = Math.min(2 * this.pushGap[j]!, 4 * this.config.statusInterval);
      }
      next = Math.min(next, this.pushAt[j]!);
    }
    if (next < Number.POSITIVE_INFINITY) this.timers.arm("laggard", next - this.now);
  }

  private broadcastStatus(): void {
    const m: Status = {
      type: "status",
      replica: this.id,
      view: this.curView,
      viewChanging: this.viewChanging,
      h: this.h,
      lastExec: this.lastExec,
    };
    this.broadcast(m);
  }

  private onStatus(from: number, m: Status): void {
    if (m.replica !== from || !isInt(m.view) || !isInt(m.h) || !isInt(m.lastExec)) return;
    this.notePeerAt(from, m.lastExec);
    // A NEW-VIEW the sender is missing.
    const nv = this.lastNewView;
    if (!this.viewChanging && nv !== null && nv.view === this.curView) {
      if (m.view < this.curView || (m.view === this.curView && m.viewChanging === true)) this.send(from, nv);
    }
    // Our stable checkpoint is newer than the sender's: its proof lets it move its window.
    if (m.h < this.h && this.h > 0) {
      const sp: StableProof = {
        type: "stable-proof",
        replica: this.id,
        seq: this.h,
        digest: this.stableDigest,
        proof: this.stableProof,
      };
      this.send(from, sp);
    }
    if (m.lastExec >= this.lastExec) return;
    const certs: CommitCert[] = [];
    const start = Math.max(m.lastExec, this.h) + 1;
    for (let s = start; s <= this.lastExec; s++) {
      const slot = this.slots.get(s);
      if (slot === undefined || slot.committedDigest === null || slot.commitVoters === null) continue;
      const body = this.bodyOf(slot.committedDigest);
      if (body === null || slot.commitVoters.count < this.quorum()) continue;
      certs.push({
        seq: s,
        view: slot.commitView,
        digest: slot.committedDigest,
        requests: body,
        commits: slot.commitVoters.toArray(this.quorum()),
      });
    }
    if (certs.length > 0) {
      const reply: CommitCerts = { type: "commit-certs", replica: this.id, certs };
      this.send(from, reply);
    }
  }

  /** Commit certificates from a peer: adopt them (committed globally) and execute in order. */
  private onCommitCerts(from: number, m: CommitCerts): void {
    if (m.replica !== from || !Array.isArray(m.certs)) return;
    this.announceLeft = 0;
    for (const c of m.certs) {
      if (typeof c !== "object" || c === null || !isInt(c.seq) || !isInt(c.view) || typeof c.digest !== "string") continue;
      this.notePeerAt(from, c.seq);
      if (c.seq <= this.h || c.seq <= this.lastExec) continue;
      if (c.seq > Math.max(this.highWater(), this.lastExec + this.config.logWindow)) continue;
      if (!this.validCommitCert(c) || !Array.isArray(c.requests) || !verifyBatch(c, c.requests, c.digest, this.digests)) continue;
      let slot = this.slots.get(c.seq);
      if (slot === undefined) {
        slot = new Slot(c.seq, this.curView, this.n);
        this.slots.set(c.seq, slot);
      }
      if (slot.committedDigest === null) {
        slot.committedDigest = c.digest;
        slot.commitVoters = VoteSet.fromArray(this.n, c.commits);
        slot.commitView = c.view;
      } else if (slot.committedDigest !== c.digest) {
        this.alarm("commit-conflict", c.seq);
        continue;
      }
      if (c.requests.length > 0 && !this.bodies.has(c.digest)) this.bodies.set(c.digest, c.requests);
    }
    this.tryExecute();
  }

  /** ≥ Q distinct COMMIT senders, ids strictly ascending. */
  protected validCommitCert(c: CommitCert): boolean {
    if (!Array.isArray(c.commits) || c.commits.length < this.quorum() || c.view < 0) return false;
    let last = -1;
    for (const j of c.commits) {
      if (!isInt(j) || j <= last || j >= this.n) return false;
      last = j;
    }
    return true;
  }

  private onStableProof(from: number, m: StableProof): void {
    if (m.replica !== from || !isInt(m.seq)) return;
    this.notePeerAt(from, m.seq);
    if (m.seq <= this.h || typeof m.digest !== "string") return;
    if (!this.validCheckpointProof(m.seq, m.digest, m.proof)) return;
    this.onStableCertificate(m.seq, m.digest, m.proof);
  }

  // =======================================================================================
  // Persistence (S23): the record and its conversions live in persistence.ts
  // =======================================================================================

  /** A deep copy of everything a replica keeps on stable storage. */
  persist(): PersistedReplica {
    return persistReplica({
      id: this.id,
      view: this.curView,
      viewChanging: this.viewChanging,
      h: this.h,
      stableDigest: this.stableDigest,
      stableProof: this.stableProof,
      lastExec: this.lastExec,
      nextSeq: this.nextSeq,
      newViewTimeout: this.nvTimeout,
      slots: this.logSeqs().map((s) => this.slots.get(s)!),
      pset: this.pset,
      bodies: this.bodies,
      own: this.own,
      checkpointVotes: this.ckVotes.all(),
      certs: this.certs,
      clientTable: this.clientTable,
      appSnapshot: this.app.snapshot(),
      viewChanges: this.vcBySender.filter((vc): vc is ViewChange => vc !== undefined),
      ownViewChange: this.ownViewChange,
      lastNewView: this.lastNewView,
    });
  }

  /**
   * Rebuilds a replica from persisted state (crash–restart). `app` is a fresh application; its
   * state is restored from the snapshot. Volatile state (pending requests, timers) starts empty;
   * a replica that was view changing re-sends its VIEW-CHANGE (drain the effects after calling).
   */
  static fromPersisted<T extends Replica>(
    this: new (id: number, config: PbftConfig, app: Application, digests?: DigestMemo) => T,
    state: PersistedReplica,
    config: PbftConfig,
    app: Application,
    now = 0,
    digests?: DigestMemo,
  ): T {
    const r = new this(state.id, config, app, digests);
    r.restorePersisted(state, now);
    return r;
  }

  protected restorePersisted(st: PersistedReplica, now: number): void {
    this.now = now;
    this.app.restore(st.appSnapshot);
    this.curView = st.view;
    this.viewChanging = st.viewChanging;
    this.h = st.h;
    this.stableKnown = st.h;
    this.peerAt.fill(st.h); // peers are assumed no further behind than this replica until heard
    this.stableDigest = st.stableDigest;
    this.stableProof = [...st.stableProof];
    this.lastExec = st.lastExec;
    this.nextSeq = st.nextSeq;
    this.nvTimeout = st.newViewTimeout;
    const d = restoreDurable(st, this.n);
    for (const slot of d.slots) this.slots.set(slot.seq, slot);
    for (const e of d.pset) this.pset.set(e.seq, e);
    for (const [digest, b] of d.bodies) this.bodies.set(digest, b);
    for (const c of d.own) this.own.set(c.seq, c);
    for (const m of st.checkpointVotes) this.ckVotes.add(m, this.h);
    for (const c of d.certs) {
      this.certs.set(c.seq, c);
      if (c.seq > this.stableKnown) this.stableKnown = c.seq;
    }
    this.clientTable = d.clientTable;
    // Its own record of view changes: trusted again without re-validation.
    for (const vc of st.viewChanges) {
      this.validatedVC.add(vc);
      this.storeViewChange(vc.replica, vc);
    }
    this.recomputeAhead();
    this.ownViewChange = st.ownViewChange;
    this.lastNewView = st.lastNewView;
    if (this.viewChanging && this.ownViewChange !== null) {
      this.broadcast(this.ownViewChange);
      this.timers.arm("viewChangeResend", this.config.viewChangeResendInterval);
      this.checkViewChangeQuorum();
    }
    this.announce(now);
  }

  // =======================================================================================
  // Effect helpers
  // =======================================================================================

  protected send(to: number, msg: ReplicaMessage): void {
    this.effects.send(to, msg);
  }

  protected broadcast(msg: ReplicaMessage): void {
    this.effects.broadcast(msg);
  }

  protected setTimer(timer: TimerName, delay: number): void {
    this.effects.setTimer(timer, delay);
  }

  protected cancelTimer(timer: TimerName): void {
    this.effects.cancelTimer(timer);
  }

  protected observe(event: Observation): void {
    this.effects.observe(event);
  }

  protected alarm(reason: string, seq: number): void {
    this.observe({ type: "alarm", reason, view: this.curView, seq });
  }
}
