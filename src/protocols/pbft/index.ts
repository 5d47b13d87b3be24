// protocols/pbft owns the PBFT replication protocol as pure deterministic state machines:
// Replica and Client (step/timeout → effects), messages, digests and simulated sizes/costs,
// certificates, watermarks, checkpoints, view change / new view, state transfer, and the
// Application interface (with a KV application) that committed requests execute on.
// May import: nothing outside protocols/pbft, except Node's crypto (sha256 for byte payloads, digest.ts).
//
// Host wiring (ids: replicas 0…n−1; client ids are a separate namespace):
//   client effects: send(to replica) / broadcast (to every replica) → replica.receiveRequest(clientId, msg, now)
//   replica effects: send(to) / broadcast (every other replica, one shared object) → replica.step(fromId, msg, now);
//                    reply(client) → client.step(replicaId, reply, now)
//   setTimer(name, delay) (re)arms the node's timer `name`; cancelTimer cancels it; on expiry call timeout(name, now).
//   observe(event) → checkers / metrics. Call drainEffects() after every call into a state machine
//   (the ordering contract is written on the Effect type, messages.ts).
//   One DigestMemo per world, handed to every Replica and Client it hosts (verified requests and
//   batches are then checked once per world, not once per replica); nothing is kept at module level.
//   A world's DigestMemo carries its SignedCheckpoints: the host records every CHECKPOINT a replica's
//   node transmits under that replica's id, and replicas verify the CHECKPOINTs of embedded proofs there.
// Messages are immutable: never mutate one after emitting or receiving it.

export { Client, type ClientStrategy } from "./client.js";
export { ClientTable, checkpointDigest } from "./client-table.js";
export { EffectBatch, EffectQueue } from "./effect-queue.js";
export * from "./config.js";
export * from "./cost.js";
export {
  batchDigest,
  canonical,
  DigestMemo,
  hashString,
  makeRequest,
  requestDigest,
  SetHash,
  verifyBatch,
  verifyRequest,
} from "./digest.js";
export { type KvOp, KvApplication, type KvSnapshot } from "./kv.js";
export { type PEntry, Slot } from "./log.js";
export type * from "./messages.js";
export {
  makeCheckpoint,
  makeCommit,
  makeDigestPrePrepare,
  makePrepare,
  makePrePrepare,
  makeStateMessage,
  makeViewChange,
} from "./messages.js";
export { makeNewView, type NewViewPlan, type PlannedSlot, planNewView } from "./newview.js";
export type { PersistedReplica, PersistedSlot } from "./persistence.js";
export { Replica, type ReplicaMode, type SlotInfo } from "./replica.js";
export { SignedCheckpoints } from "./signatures.js";
export { TIMER_COUNT, timerSlot } from "./timers.js";
export * from "./types.js";
export { Tally, VoteSet } from "./votes.js";
