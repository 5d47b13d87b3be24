// Byzantine behaviours applied around an honest replica, at its host's boundary: they rewrite,
// drop, delay or add the replica's own outgoing messages and filter its input. The replica's
// code is never modified. Scripts (script.ts) and message mutation (mutate.ts) are behaviours too.

import {
  type Checkpoint,
  hashString,
  type Message,
  NULL_DIGEST,
  type Prepare,
  type PrePrepare,
  type ReplicaMessage,
  type Reply,
  type ViewChange,
} from "../protocols/pbft/index.js";
import type { Stream } from "../kernel/index.js";
import { MutateBehaviour } from "./mutate.js";
import type { BehaviourWindow } from "./plan.js";
import { type ScriptGroup, ScriptBehaviour } from "./script.js";

/** Emits one message from the faulty replica to replica `to` after `delay` extra seconds. */
export type Emit = (to: number, msg: ReplicaMessage, delay: number) => void;

export interface ActiveBehaviour {
  readonly window: BehaviourWindow;
  /** Rewrites one outgoing message to `to`; the default forwards it unchanged. */
  outgoing(to: number, msg: ReplicaMessage, emit: Emit, now: number): void;
  /** false drops the input. */
  incoming(msg: ReplicaMessage | { type: "request"; request: { client: number } }): boolean;
  /** Periodic action (spam), if any: seconds between firings. */
  readonly interval?: number;
  fire?(emit: Emit, now: number, view: number, others: readonly number[]): void;
  /** Rewrites one outgoing REPLY to a client (default: unchanged). */
  reply?(msg: Reply): Reply;
  /** Its REPLYs are not sent at all (silent, a script suppressing replies). */
  readonly dropsReplies?: boolean;
  /** Sees every message delivered to the replica (from replica `from`, −1 for a client), before it is processed. */
  observeIncoming?(from: number, msg: Message): void;
  /** Sees every message the replica's host sends to the network (after all behaviours). */
  observeOutgoing?(msg: Message): void;
}

/** What the script and mutation behaviours need of the world beyond the fault itself. */
export interface BehaviourEnv {
  readonly group: ScriptGroup;
  /** A named random stream of the run (one per behaviour, so adding one never shifts another). */
  stream(name: string): Stream;
}

export function makeBehaviour(window: BehaviourWindow, self: number, n: number, env?: BehaviourEnv): ActiveBehaviour {
  const spec = window.spec;
  const pass = (to: number, msg: ReplicaMessage, emit: Emit) => emit(to, msg, 0);
  const base = { window, incoming: () => true };
  switch (spec.type) {
    case "silent":
      return { ...base, outgoing: () => {}, dropsReplies: true };
    case "script":
      if (env === undefined) throw new Error("a script fault needs the world's replica group");
      return new ScriptBehaviour(window, self, env.group);
    case "mutate":
      if (env === undefined) throw new Error("a mutate fault needs the world's random streams");
      return new MutateBehaviour(window, env.stream(`faults.mutate.${self}@${window.from}`));
    case "equivocate": {
      // Backups in the upper half of the id order get a conflicting (null) pre-prepare for
      // every slot this replica proposes as primary.
      const others = Array.from({ length: n }, (_, i) => i).filter((i) => i !== self);
      const second = new Set(others.slice(Math.ceil(others.length / 2)));
      return {
        ...base,
        outgoing: (to, msg, emit) => {
          if (msg.type === "pre-prepare" && msg.requests !== null && msg.digest !== NULL_DIGEST && second.has(to)) {
            emit(to, { ...msg, digest: NULL_DIGEST, requests: [] }, 0);
          } else emit(to, msg, 0);
        },
      };
    }
    case "wrongDigest":
      return {
        ...base,
        outgoing: (to, msg, emit) => {
          if (msg.type === "prepare" || msg.type === "commit") emit(to, { ...msg, digest: hashString(`bad|${msg.digest}`) }, 0);
          else emit(to, msg, 0);
        },
      };
    case "censor": {
      const censored = new Set(spec.clients);
      return {
        window,
        outgoing: (to, msg, emit) => pass(to, msg, emit),
        incoming: (msg) => !(msg.type === "request" && censored.has(msg.request.client)),
      };
    }
    case "delay": {
      const kinds = spec.kinds ? new Set(spec.kinds) : null;
      return {
        ...base,
        outgoing: (to, msg, emit) => emit(to, msg, kinds === null || kinds.has(msg.type) ? spec.delay : 0),
      };
    }
    case "selective": {
      const allowed = new Set(spec.to);
      return { ...base, outgoing: (to, msg, emit) => (allowed.has(to) ? emit(to, msg, 0) : undefined) };
    }
    case "replay":
      return {
        ...base,
        outgoing: (to, msg, emit) => {
          emit(to, msg, 0);
          emit(to, msg, spec.delay);
        },
      };
    case "twoFaced": {
      // The lower half of the backups get the real pre-prepare, the upper half a null one; each
      // side also gets a PREPARE from this replica for its version, and its COMMITs for a split
      // slot carry the version the receiver got. Its VIEW-CHANGEs report no prepared certificate.
      const others = Array.from({ length: n }, (_, i) => i).filter((i) => i !== self);
      const second = new Set(others.slice(Math.ceil(others.length / 2)));
      const split = new Map<string, string>();
      return {
        ...base,
        outgoing: (to, msg, emit) => {
          if (msg.type === "pre-prepare" && msg.requests !== null && msg.digest !== NULL_DIGEST) {
            split.set(`${msg.view}:${msg.seq}`, msg.digest);
            const pp: PrePrepare = second.has(to) ? { ...msg, digest: NULL_DIGEST, requests: [] } : msg;
            emit(to, pp, 0);
            const p: Prepare = { type: "prepare", view: pp.view, seq: pp.seq, digest: pp.digest, replica: self };
            emit(to, p, 0);
          } else if (msg.type === "commit" && second.has(to) && split.get(`${msg.view}:${msg.seq}`) === msg.digest) {
            emit(to, { ...msg, digest: NULL_DIGEST }, 0);
          } else if (msg.type === "view-change") {
            emit(to, { ...msg, prepared: [] }, 0);
          } else emit(to, msg, 0);
        },
      };
    }
    case "forge": {
      const other = (self + 1) % n;
      const firstSeq = new Map<number, number>();
      return {
        ...base,
        outgoing: (to, msg, emit) => {
          switch (spec.variant) {
            case "badDigest":
              if (msg.type === "pre-prepare" && msg.requests !== null) return emit(to, { ...msg, digest: hashString(`forged|${msg.digest}`) }, 0);
              break;
            case "backupPrePrepare":
              if (msg.type === "prepare") {
                const pp: PrePrepare = { type: "pre-prepare", view: msg.view, seq: msg.seq, digest: NULL_DIGEST, replica: self, requests: [] };
                emit(to, pp, 0);
              }
              break;
            case "impersonate":
              if (msg.type === "prepare" || msg.type === "commit") return emit(to, { ...msg, replica: other }, 0);
              break;
            case "truncate":
              if (msg.type === "prepare" || msg.type === "commit") return emit(to, { type: msg.type } as unknown as ReplicaMessage, 0);
              break;
            case "primaryPrepare":
              if (msg.type === "pre-prepare" && msg.requests !== null) {
                emit(to, msg, 0);
                const p: Prepare = { type: "prepare", view: msg.view, seq: msg.seq, digest: msg.digest, replica: self };
                return emit(to, p, 0);
              }
              break;
            case "fixedSeq":
              // Only the first proposal of a view goes out (at `seq`); later ones are withheld, so
              // the forged slot never gets two digests.
              if (msg.type === "pre-prepare" && msg.requests !== null) {
                const first = firstSeq.get(msg.view);
                if (first === undefined) firstSeq.set(msg.view, msg.seq);
                else if (first !== msg.seq) return;
                return emit(to, { ...msg, seq: spec.seq }, 0);
              }
              break;
          }
          emit(to, msg, 0);
        },
      };
    }
    case "fuzz":
      // Every PREPARE/COMMIT goes out five times with corrupted digests, once for the previous and
      // once for the next view, and once far above the window; every CHECKPOINT with a wrong digest,
      // plus one for a checkpoint a million sequence numbers ahead. None of these is genuine (right view,
      // sequence number and digest at once).
      return {
        ...base,
        outgoing: (to, msg, emit) => {
          if (msg.type === "prepare" || msg.type === "commit") {
            for (let k = 0; k < 5; k++) emit(to, { ...msg, digest: hashString(`fuzz|${k}|${msg.digest}`) }, 0);
            emit(to, { ...msg, view: msg.view + 1 }, 0);
            if (msg.view > 0) emit(to, { ...msg, view: msg.view - 1 }, 0);
            emit(to, { ...msg, seq: msg.seq + 1000 }, 0);
          } else if (msg.type === "checkpoint") {
            emit(to, { ...msg, digest: hashString(`fuzz|${msg.digest}`) }, 0);
            const far: Checkpoint = { ...msg, seq: msg.seq + 1_000_000, digest: hashString(`junk|${msg.seq}`) };
            emit(to, far, 0);
          } else emit(to, msg, 0);
        },
      };
    case "badReplies":
      return {
        ...base,
        outgoing: (to, msg, emit) => pass(to, msg, emit),
        reply: (msg) =>
          spec.field === "result"
            ? { ...msg, result: `fabricated:${msg.result}` }
            : { ...msg, timestamp: msg.timestamp + 1 },
      };
    case "viewChangeSpam": {
      let next = 1;
      return {
        ...base,
        outgoing: (to, msg, emit) => pass(to, msg, emit),
        interval: spec.interval,
        fire: (emit, _now, view, others) => {
          const target = view + next;
          next = next === 1 ? 2 : next * 2;
          const vc: ViewChange = {
            type: "view-change",
            view: target,
            replica: self,
            stableSeq: 0,
            stableDigest: "",
            proof: [],
            prepared: [],
          };
          for (const to of others) emit(to, vc, 0);
        },
      };
    }
  }
}
