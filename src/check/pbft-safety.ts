// Continuous PBFT safety checking over correct replicas (pbft-spec §13.3): SAF-1 agreement,
// SAF-2 order, SAF-3 exactly-once, SAF-4 validity, SAF-5 client consistency, INV-P prepared
// uniqueness, INV-K checkpoint agreement (stable checkpoints, every correct replica's own
// checkpoints, and every state adopted by transfer, against each other and against a replay of the
// agreed history), plus protocol alarms. Fed with observation events as they happen, so the first
// violation is reported at the moment it occurs.

import { ClientTable, checkpointDigest } from "../protocols/pbft/client-table.js";
import { type Application, type ClientObservation, NULL_DIGEST, type Observation } from "../protocols/pbft/types.js";
import { ABSENT, DIFFERENT, DigestTable, SAME } from "./digest-table.js";
import { PairTable } from "./pair-table.js";
import type { Violation } from "./violation.js";

/**
 * INV-K's replay half: a reference copy of the service replays the agreed history (SAF-1's digests,
 * in sequence order, with the requests the replicas executed) and keeps the reply table those
 * executions give; every stable checkpoint's application digest, and every state a correct replica
 * adopts by transfer (application and reply table), must equal the reference's at that sequence
 * number — and a state adopted beyond what the replay has reached was produced by no correct
 * execution at all.
 */
export interface ReferenceReplay {
  app: Application;
  checkpointInterval: number;
}

interface AgreedBatch {
  requests: ReadonlyArray<{ client: number; timestamp: number }>;
}

interface ExecRecord {
  digest: string;
  replica: number;
}

/**
 * The first correct replica's result for a request, until it can matter no more: once the client
 * has accepted (SAF-5 compared then) and every replica counted correct has executed the request, the
 * record is dropped — a correct client accepts a timestamp once, so nothing would compare with it
 * again, and a long run does not keep a result text per request (ten years of tokenomics.yaml
 * executed over a million).
 */
interface ResultRecord extends ExecRecord {
  /** Correct replicas that executed the request so far. */
  executions: number;
  accepted: boolean;
}

/** The reference's checkpoint at a sequence number: application digest and full checkpoint digest. */
interface RefCheckpoint {
  appDigest: string;
  stateDigest: string;
}

export class PbftSafetyChecker {
  readonly violations: Violation[];
  private readonly lastExec: number[];
  /** (0, seq) → the first executed digest. */
  private readonly agreed = new DigestTable();
  /** (view, seq) → the first prepared digest. */
  private readonly prepared = new DigestTable();
  private readonly stable = new Map<number, ExecRecord>();
  /** Checkpoint digests correct replicas took or adopted: seq → one record per distinct digest. */
  private readonly own = new Map<number, ExecRecord[]>();
  /** Per replica: (client, timestamp) of every request it executed. */
  private readonly executedKeys: Array<PairTable<true>>;
  /** (client, timestamp) → request digest, as issued by clients. */
  private readonly issued = new DigestTable();
  /** (client, timestamp) → result computed by the first correct replica that executed it (see ResultRecord). */
  private readonly results = new PairTable<ResultRecord>();
  /** Accepted results waiting for a correct replica's result. */
  private readonly accepted = new PairTable<{ result: string; client: number; time: number }>();
  private readonly reported = new Set<string>();
  private currentView: number[];
  private readonly ops = new Map<string, unknown>();
  private readonly agreedBatches = new Map<number, AgreedBatch>();
  private refSeq = 0;
  /** The reference's reply table (client → last executed timestamp and result). */
  private readonly refTable = new ClientTable();
  /** Reference digests at checkpoint sequence numbers. */
  private readonly refDigests = new Map<number, RefCheckpoint>();
  /** Stable checkpoints waiting for the reference to reach them: seq → (replica, app digest). */
  private readonly pendingK = new Map<number, Array<{ replica: number; digest: string; time: number }>>();
  private reference: ReferenceReplay | null = null;

  constructor(
    n: number,
    /** Whether replica i currently counts as correct (faulty ones are excluded). */
    private readonly isCorrect: (replica: number) => boolean,
    /** Whether client c is correct (SAF-4/5 only concern correct clients). */
    private readonly isCorrectClient: (client: number) => boolean = () => true,
    /** Where violations are appended (shared with other checkers of the same run). */
    sink: Violation[] = [],
  ) {
    this.violations = sink;
    this.lastExec = new Array(n).fill(0);
    this.currentView = new Array(n).fill(0);
    this.executedKeys = Array.from({ length: n }, () => new PairTable<true>());
  }

  /** Enables the replay half of INV-K (the world passes a fresh copy of the application). */
  enableReplay(reference: ReferenceReplay): void {
    this.reference = reference;
  }

  /** Highest sequence executed (or installed) at each replica. */
  get executedUpTo(): readonly number[] {
    return this.lastExec;
  }

  onReplica(replica: number, ev: Observation, time: number): void {
    switch (ev.type) {
      case "newViewInstalled":
      case "viewChangeStarted":
        this.currentView[replica] = ev.view;
        return;
      case "alarm":
        if (this.isCorrect(replica)) {
          this.report("ALARM", time, `replica ${replica}: ${ev.reason}`, [replica], ev.view, ev.seq);
        }
        return;
      case "stateTransferred":
        if (!this.isCorrect(replica)) return;
        if (ev.toSeq > this.lastExec[replica]!) this.lastExec[replica] = ev.toSeq;
        this.checkOwn(replica, ev.toSeq, ev.stateDigest, time);
        this.checkAdopted(replica, ev.toSeq, ev.stateDigest, time);
        return;
      case "checkpoint":
        if (this.isCorrect(replica)) this.checkOwn(replica, ev.seq, ev.stateDigest, time);
        return;
      case "prepared":
        if (this.isCorrect(replica)) this.checkPrepared(replica, ev.view, ev.seq, ev.digest, time);
        return;
      case "checkpointStable":
        if (this.isCorrect(replica)) {
          this.checkStable(replica, ev.seq, ev.stateDigest, time);
          this.checkReplay(replica, ev.seq, ev.appDigest, time);
        }
        return;
      case "executed":
        if (this.isCorrect(replica)) this.checkExecuted(replica, ev, time);
        return;
      default:
        return;
    }
  }

  onClient(client: number, ev: ClientObservation, time: number): void {
    if (ev.type === "submitted") {
      this.issued.set(client, ev.timestamp, ev.digest, client);
      if (this.reference) this.ops.set(`${client}:${ev.timestamp}`, ev.op);
      return;
    }
    if (ev.type !== "accepted" || !this.isCorrectClient(client)) return;
    const computed = this.results.get(client, ev.timestamp);
    if (computed) {
      if (computed.digest !== ev.result) this.saf5(client, ev.timestamp, ev.result, computed, time);
      computed.accepted = true;
      this.retire(client, ev.timestamp, computed);
    } else {
      this.accepted.set(client, ev.timestamp, { result: ev.result, client, time });
    }
  }

  private checkExecuted(replica: number, ev: Extract<Observation, { type: "executed" }>, time: number): void {
    const expected = this.lastExec[replica]! + 1;
    if (ev.seq !== expected) {
      this.report(
        "SAF-2",
        time,
        `replica ${replica} executed seq ${ev.seq} but its next in order is ${expected}`,
        [replica],
        ev.view,
        ev.seq,
      );
    }
    if (ev.seq > this.lastExec[replica]!) this.lastExec[replica] = ev.seq;

    const agreement = this.agreed.compare(0, ev.seq, ev.digest);
    if (agreement === ABSENT) {
      this.agreed.set(0, ev.seq, ev.digest, replica);
      if (this.reference) {
        this.agreedBatches.set(ev.seq, { requests: ev.requests });
        this.advanceReference(time);
      }
    } else if (agreement === DIFFERENT) {
      const prior = this.agreed.get(0, ev.seq)!;
      this.report(
        "SAF-1",
        time,
        `seq ${ev.seq}: replica ${replica} executed ${short(ev.digest)} but replica ${prior.replica} executed ${short(prior.digest)}`,
        [prior.replica, replica],
        ev.view,
        ev.seq,
      );
    }

    if (ev.digest === NULL_DIGEST && ev.requests.length > 0) {
      this.report("SAF-4", time, `replica ${replica} executed requests in a null slot`, [replica], ev.view, ev.seq);
    }
    const done = this.executedKeys[replica]!;
    for (const r of ev.requests) {
      if (done.has(r.client, r.timestamp)) {
        this.report(
          "SAF-3",
          time,
          `replica ${replica} executed request (client ${r.client}, t ${r.timestamp}) twice`,
          [replica],
          ev.view,
          ev.seq,
        );
      }
      done.set(r.client, r.timestamp, true);
      if (this.issued.compare(r.client, r.timestamp, r.digest) !== SAME) {
        this.report(
          "SAF-4",
          time,
          `replica ${replica} executed request (client ${r.client}, t ${r.timestamp}) that no client issued`,
          [replica],
          ev.view,
          ev.seq,
        );
      }
      let res = this.results.get(r.client, r.timestamp);
      if (!res) {
        res = { digest: r.result, replica, executions: 0, accepted: false };
        this.results.set(r.client, r.timestamp, res);
        const acc = this.accepted.get(r.client, r.timestamp);
        if (acc) {
          this.accepted.delete(r.client, r.timestamp);
          res.accepted = true;
          if (acc.result !== r.result) this.saf5(r.client, r.timestamp, acc.result, { digest: r.result, replica }, time);
        }
      }
      res.executions++;
      this.retire(r.client, r.timestamp, res);
    }
  }

  /** Drops a request's result record once it can matter no more (see ResultRecord). */
  private retire(client: number, timestamp: number, res: ResultRecord): void {
    if (!res.accepted) return;
    let correct = 0;
    for (let i = 0; i < this.lastExec.length; i++) if (this.isCorrect(i)) correct++;
    if (res.executions >= correct) this.results.delete(client, timestamp);
  }

  private checkPrepared(replica: number, view: number, seq: number, digest: string, time: number): void {
    const agreement = this.prepared.compare(view, seq, digest);
    if (agreement === ABSENT) this.prepared.set(view, seq, digest, replica);
    else if (agreement === DIFFERENT) {
      const prior = this.prepared.get(view, seq)!;
      this.report(
        "INV-P",
        time,
        `view ${view} seq ${seq}: replica ${replica} prepared ${short(digest)} but replica ${prior.replica} prepared ${short(prior.digest)}`,
        [prior.replica, replica],
        view,
        seq,
      );
    }
  }

  private advanceReference(_time: number): void {
    const ref = this.reference!;
    for (;;) {
      const batch = this.agreedBatches.get(this.refSeq + 1);
      if (!batch) return;
      this.agreedBatches.delete(this.refSeq + 1);
      this.refSeq++;
      for (const r of batch.requests) {
        const op = this.ops.get(`${r.client}:${r.timestamp}`);
        const result = ref.app.execute(op, { client: r.client, timestamp: r.timestamp, seq: this.refSeq });
        this.refTable.set(r.client, { timestamp: r.timestamp, result });
      }
      if (this.refSeq % ref.checkpointInterval === 0) {
        const d = ref.app.stateDigest();
        this.refDigests.set(this.refSeq, { appDigest: d, stateDigest: checkpointDigest(d, this.refTable.digest()) });
        for (const w of this.pendingK.get(this.refSeq) ?? []) this.compareToReference(w.replica, this.refSeq, w.digest, d, w.time);
        this.pendingK.delete(this.refSeq);
      }
    }
  }

  private compareToReference(replica: number, seq: number, appDigest: string, refDigest: string, time: number): void {
    if (appDigest === refDigest) return;
    this.report(
      "INV-K",
      time,
      `checkpoint ${seq}: replica ${replica} has application state ${short(appDigest)} but replaying the agreed history gives ${short(refDigest)}`,
      [replica],
      this.currentView[replica],
      seq,
    );
  }

  private checkReplay(replica: number, seq: number, appDigest: string | undefined, time: number): void {
    if (!this.reference || appDigest === undefined) return;
    const d = this.refDigests.get(seq);
    if (d !== undefined) this.compareToReference(replica, seq, appDigest, d.appDigest, time);
    else if (seq > this.refSeq) {
      const list = this.pendingK.get(seq) ?? [];
      list.push({ replica, digest: appDigest, time });
      this.pendingK.set(seq, list);
    }
  }

  /**
   * A correct replica took (or adopted) the checkpoint `digest` at `seq`: it must equal every other
   * correct replica's own checkpoint there and the stable digest — a correct replica that diverges is
   * an INV-K violation at that moment, whether or not its R-K6 alarm fires, and however many distinct
   * digests the others hold (two among correct replicas are already one too many).
   */
  private checkOwn(replica: number, seq: number, digest: string, time: number): void {
    let list = this.own.get(seq);
    if (list === undefined) {
      list = [];
      this.own.set(seq, list);
    }
    if (list.some((r) => r.digest === digest)) return;
    const other = list[0];
    list.push({ digest, replica });
    if (other !== undefined) {
      this.report(
        "INV-K",
        time,
        `checkpoint ${seq}: correct replica ${replica} has state ${short(digest)} but correct replica ${other.replica} has ${short(other.digest)}`,
        [other.replica, replica],
        this.currentView[replica],
        seq,
      );
    }
    const st = this.stable.get(seq);
    if (st !== undefined && st.digest !== digest) this.divergesFromStable(replica, seq, digest, st, time);
  }

  private divergesFromStable(replica: number, seq: number, digest: string, st: ExecRecord, time: number): void {
    this.report(
      "INV-K",
      time,
      `checkpoint ${seq}: correct replica ${replica} has state ${short(digest)} but the stable checkpoint (at replica ${st.replica}) is ${short(st.digest)}`,
      [replica],
      this.currentView[replica],
      seq,
    );
  }

  /**
   * A correct replica adopted the state of checkpoint `seq` by transfer: with the replay on, it must be
   * the state the agreed history gives there, and that history must reach `seq` — every checkpoint a
   * correct replica may adopt was executed by correct replicas first (its certificate holds f + 1 of
   * their CHECKPOINTs), so a state beyond the replay came from no correct execution.
   */
  private checkAdopted(replica: number, seq: number, stateDigest: string, time: number): void {
    if (!this.reference) return;
    const ref = this.refDigests.get(seq);
    if (ref === undefined) {
      if (seq <= this.refSeq) return;
      this.report(
        "INV-K",
        time,
        `replica ${replica} adopted state ${short(stateDigest)} for checkpoint ${seq}, which no correct replica's execution produced (the agreed history reaches seq ${this.refSeq})`,
        [replica],
        this.currentView[replica],
        seq,
      );
    } else if (ref.stateDigest !== stateDigest) {
      this.report(
        "INV-K",
        time,
        `replica ${replica} adopted state ${short(stateDigest)} for checkpoint ${seq} but replaying the agreed history gives ${short(ref.stateDigest)}`,
        [replica],
        this.currentView[replica],
        seq,
      );
    }
  }

  private checkStable(replica: number, seq: number, digest: string, time: number): void {
    const prior = this.stable.get(seq);
    if (!prior) {
      const st = { digest, replica };
      this.stable.set(seq, st);
      for (const o of this.own.get(seq) ?? []) if (o.digest !== digest) this.divergesFromStable(o.replica, seq, o.digest, st, time);
    } else if (prior.digest !== digest) {
      this.report(
        "INV-K",
        time,
        `checkpoint ${seq}: replica ${replica} has state ${short(digest)} but replica ${prior.replica} has ${short(prior.digest)}`,
        [prior.replica, replica],
        this.currentView[replica],
        seq,
      );
    }
  }

  private saf5(client: number, timestamp: number, accepted: string, computed: ExecRecord, time: number): void {
    this.report(
      "SAF-5",
      time,
      `client ${client} accepted result "${short(accepted)}" for t ${timestamp} but correct replica ${computed.replica} computed "${short(computed.digest)}"`,
      [computed.replica],
    );
  }

  /** Records one violation per (invariant, seq, replicas) so a cascade does not flood the report. */
  private report(
    invariant: string,
    time: number,
    detail: string,
    replicas: number[],
    view?: number,
    seq?: number,
  ): void {
    const key = `${invariant}|${seq ?? ""}|${replicas.join(",")}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.violations.push({ invariant, time, view, seq, replicas, detail });
  }
}

function short(s: string): string {
  return s.length > 16 ? `${s.slice(0, 16)}…` : s;
}
