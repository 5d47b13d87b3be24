// Byzantine behaviours applied around an honest replica, at its host's boundary: they rewrite,
// drop, delay or add the replica's own outgoing messages and filter its input. The replica's
// code is never modified.

import { hashString, NULL_DIGEST, type ReplicaMessage, type ViewChange } from "../protocols/pbft/index.js";
import type { BehaviourWindow } from "./plan.js";

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
}

export function makeBehaviour(window: BehaviourWindow, self: number, n: number): ActiveBehaviour {
  const spec = window.spec;
  const pass = (to: number, msg: ReplicaMessage, emit: Emit) => emit(to, msg, 0);
  const base = { window, incoming: () => true };
  switch (spec.type) {
    case "silent":
      return { ...base, outgoing: () => {} };
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
