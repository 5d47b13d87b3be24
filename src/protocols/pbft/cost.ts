// Simulated cost model (pbft-spec.md §12): wire size in bytes of every message and CPU seconds
// to send / receive it under an authentication preset, plus execution and checkpoint costs.
// Pure functions of (message, n, preset, parameters); the host charges them to simulated CPUs.

import type { Message, MessageType, NewView, PrePrepare, ViewChange } from "./messages.js";
import type { Request } from "./types.js";

export type AuthPreset = "SIG_ALL" | "MAC_NORMAL_SIG_VC" | "MAC_ALL_WITH_ACKS";
/** `authenticator`: one MAC per receiving replica; `mac`: a single MAC; `signature`: one signature. */
export type AuthKind = "signature" | "authenticator" | "mac";

const ALL_TYPES: ReadonlyArray<MessageType> = Object.freeze([
  "request",
  "reply",
  "pre-prepare",
  "prepare",
  "commit",
  "checkpoint",
  "view-change",
  "new-view",
  "fetch-state",
  "state",
  "fetch-batch",
  "batch",
  "fetch-new-view",
  "status",
  "commit-certs",
  "stable-proof",
]);

function table(f: (t: MessageType) => AuthKind): Readonly<Record<MessageType, AuthKind>> {
  const out = {} as Record<MessageType, AuthKind>;
  for (const t of ALL_TYPES) out[t] = f(t);
  return Object.freeze(out);
}

/** Message types sent to several replicas at once (read only while the presets below are built). */
const MULTICAST: ReadonlyArray<MessageType> = Object.freeze(["request", "pre-prepare", "prepare", "commit", "checkpoint"]);

/** Authentication used by each message type under each preset. */
export const AUTH_PRESETS: Readonly<Record<AuthPreset, Readonly<Record<MessageType, AuthKind>>>> = Object.freeze({
  SIG_ALL: table(() => "signature"),
  MAC_NORMAL_SIG_VC: table((t) =>
    t === "view-change" || t === "new-view" ? "signature" : MULTICAST.includes(t) ? "authenticator" : "mac",
  ),
  MAC_ALL_WITH_ACKS: table((t) =>
    t === "view-change" || t === "new-view" || MULTICAST.includes(t) ? "authenticator" : "mac",
  ),
});

export const DEFAULT_AUTH_PRESET: AuthPreset = "MAC_NORMAL_SIG_VC";

export interface SizeParams {
  /** Fixed header (type, sender, framing). */
  readonly header: number;
  readonly digest: number;
  /** An integer field (view, seq, timestamp, id). */
  readonly int: number;
  readonly mac: number;
  readonly signature: number;
}

export const DEFAULT_SIZES: SizeParams = Object.freeze({ header: 32, digest: 32, int: 8, mac: 10, signature: 64 });

export interface CostParams {
  /** Fixed per-message handling overhead (per destination on send). */
  readonly cMsg: number;
  readonly cMac: number;
  readonly cSign: number;
  readonly cVerify: number;
  readonly cDigestBase: number;
  readonly cDigestPerByte: number;
  readonly cExecBase: number;
  readonly cExecPerByte: number;
}

/** §12 starting values (seconds): c_mac ≈ 1 µs, c_sign ≈ 40 µs, c_ver ≈ 100 µs, c_d1 ≈ 1 ns/byte. */
export const DEFAULT_COSTS: CostParams = Object.freeze({
  cMsg: 2e-6,
  cMac: 1e-6,
  cSign: 40e-6,
  cVerify: 100e-6,
  cDigestBase: 0.2e-6,
  cDigestPerByte: 1e-9,
  cExecBase: 2e-6,
  cExecPerByte: 1e-9,
});

/** Bytes of an authentication of `kind` (authenticators: one MAC per receiving replica). */
export function authSize(kind: AuthKind, type: MessageType, n: number, sizes: SizeParams = DEFAULT_SIZES): number {
  switch (kind) {
    case "signature":
      return sizes.signature;
    case "mac":
      return sizes.mac;
    case "authenticator":
      return (type === "request" ? n : n - 1) * sizes.mac;
  }
}

/** Bytes of the authentication of a message embedded in a proof (transferable only when signed). */
function embeddedAuth(type: MessageType, preset: AuthPreset, sizes: SizeParams): number {
  return AUTH_PRESETS[preset][type] === "signature" ? sizes.signature : sizes.mac;
}

function requestBodySize(r: Request, preset: AuthPreset, n: number, sizes: SizeParams): number {
  return 2 * sizes.int + sizes.digest + (r.size ?? 0) + authSize(AUTH_PRESETS[preset].request, "request", n, sizes);
}

function viewChangeBody(vc: ViewChange, preset: AuthPreset, sizes: SizeParams): number {
  const ck = 2 * sizes.int + sizes.digest + embeddedAuth("checkpoint", preset, sizes);
  const prep = sizes.int + embeddedAuth("prepare", preset, sizes);
  const pp = 2 * sizes.int + sizes.digest + embeddedAuth("pre-prepare", preset, sizes);
  let b = 3 * sizes.int + sizes.digest + vc.proof.length * ck;
  for (const c of vc.prepared) b += pp + c.prepares.length * prep;
  return b;
}

/** Simulated wire size of `msg` in bytes. */
export function messageSize(
  msg: Message,
  n: number,
  preset: AuthPreset = DEFAULT_AUTH_PRESET,
  sizes: SizeParams = DEFAULT_SIZES,
): number {
  const auth = authSize(AUTH_PRESETS[preset][msg.type], msg.type, n, sizes);
  const H = sizes.header;
  const I = sizes.int;
  const D = sizes.digest;
  switch (msg.type) {
    case "request":
      return H + 2 * I + D + (msg.request.size ?? 0) + auth;
    case "reply":
      return H + 4 * I + msg.result.length + auth;
    case "pre-prepare": {
      let b = H + 2 * I + D + auth;
      if (msg.requests !== null) for (const r of msg.requests) b += requestBodySize(r, preset, n, sizes);
      return b;
    }
    case "prepare":
    case "commit":
      return H + 3 * I + D + auth;
    case "checkpoint":
      return H + 2 * I + D + auth;
    case "view-change":
      return H + viewChangeBody(msg, preset, sizes) + auth;
    case "new-view": {
      let b = H + 3 * I + auth;
      for (const vc of msg.viewChanges) b += viewChangeBody(vc, preset, sizes) + embeddedAuth("view-change", preset, sizes);
      b += msg.prePrepares.length * (2 * I + D);
      return b;
    }
    case "fetch-state":
      return H + 2 * I + D + auth;
    case "state":
      return H + 2 * I + D + msg.snapshotSize + msg.clientTable.length * (3 * I) + msg.proof.length * (2 * I + D) + auth;
    case "fetch-batch":
      return H + I + D + auth;
    case "batch": {
      let b = H + I + D + auth;
      for (const r of msg.requests) b += requestBodySize(r, preset, n, sizes);
      return b;
    }
    case "fetch-new-view":
      return H + 2 * I + auth;
    case "status":
      return H + 4 * I + 1 + auth;
    case "commit-certs": {
      let b = H + I + auth;
      const commitItem = I + embeddedAuth("commit", preset, sizes);
      for (const c of msg.certs) {
        b += 3 * I + D + c.commits.length * commitItem;
        for (const r of c.requests) b += requestBodySize(r, preset, n, sizes);
      }
      return b;
    }
    case "stable-proof":
      return H + 2 * I + D + msg.proof.length * (2 * I + D + embeddedAuth("checkpoint", preset, sizes)) + auth;
  }
}

function digestCost(bytes: number, p: CostParams): number {
  return p.cDigestBase + p.cDigestPerByte * bytes;
}

function generateCost(kind: AuthKind, type: MessageType, n: number, p: CostParams): number {
  switch (kind) {
    case "signature":
      return p.cSign;
    case "mac":
      return p.cMac;
    case "authenticator":
      return (type === "request" ? n : n - 1) * p.cMac;
  }
}

function verifyCost(kind: AuthKind, p: CostParams): number {
  return kind === "signature" ? p.cVerify : p.cMac;
}

function embeddedVerify(type: MessageType, preset: AuthPreset, p: CostParams): number {
  return AUTH_PRESETS[preset][type] === "signature" ? p.cVerify : p.cMac;
}

function viewChangeVerify(vc: ViewChange, preset: AuthPreset, p: CostParams): number {
  let c = vc.proof.length * embeddedVerify("checkpoint", preset, p);
  for (const cert of vc.prepared) {
    c += embeddedVerify("pre-prepare", preset, p) + cert.prepares.length * embeddedVerify("prepare", preset, p);
  }
  return c;
}

/**
 * CPU seconds to send `msg` to `fanout` destinations: per-destination overhead, one digest of the
 * message and one authentication (an authenticator is computed once for all receivers).
 * `bytes` is the message's size; hosts that already computed it pass it in.
 */
export function sendCost(
  msg: Message,
  n: number,
  fanout: number,
  preset: AuthPreset = DEFAULT_AUTH_PRESET,
  params: CostParams = DEFAULT_COSTS,
  sizes: SizeParams = DEFAULT_SIZES,
  bytes: number = messageSize(msg, n, preset, sizes),
): number {
  return params.cMsg * fanout + digestCost(bytes, params) + generateCost(AUTH_PRESETS[preset][msg.type], msg.type, n, params);
}

/**
 * CPU seconds to receive and verify `msg` (including embedded proofs and request bodies).
 * `bytes` is the message's size; hosts pass the size the network delivered it with.
 */
export function receiveCost(
  msg: Message,
  n: number,
  preset: AuthPreset = DEFAULT_AUTH_PRESET,
  params: CostParams = DEFAULT_COSTS,
  sizes: SizeParams = DEFAULT_SIZES,
  bytes: number = messageSize(msg, n, preset, sizes),
): number {
  const c = params.cMsg + digestCost(bytes, params) + verifyCost(AUTH_PRESETS[preset][msg.type], params);
  // Small enough for V8 to inline into a host's delivery (a double returned from a call that is not
  // inlined is allocated, once per delivered message); the rarer embedded parts are a call of their own.
  // Its result times 1 (the same double, NaN and −0 included) is typed as a double for V8: merging the
  // call's untyped result with `c` in the ?: made V8 box `c` on every delivery (~11 B/event in
  // byzantine.yaml by bench alloc; a helper function doing the · 1 is not inlined on this rare path).
  return embedsCost(msg.type) ? withEmbeddedCost(c, msg, preset, params) * 1 : c;
}

/** Message types that carry proofs or request bodies verified on receipt (withEmbeddedCost). */
function embedsCost(type: MessageType): boolean {
  switch (type) {
    case "pre-prepare":
    case "batch":
    case "view-change":
    case "new-view":
    case "state":
    case "commit-certs":
    case "stable-proof":
      return true;
    default:
      return false;
  }
}

/** `c` plus the cost of verifying what `msg` embeds, added in message order. */
function withEmbeddedCost(c: number, msg: Message, preset: AuthPreset, params: CostParams): number {
  switch (msg.type) {
    case "pre-prepare":
      c += batchVerify((msg as PrePrepare).requests, preset, params);
      break;
    case "batch":
      c += batchVerify(msg.requests, preset, params);
      break;
    case "view-change":
      c += viewChangeVerify(msg, preset, params);
      break;
    case "new-view":
      for (const vc of (msg as NewView).viewChanges) {
        c += embeddedVerify("view-change", preset, params) + viewChangeVerify(vc, preset, params);
      }
      break;
    case "state":
      c += digestCost(msg.snapshotSize, params);
      break;
    case "commit-certs":
      for (const cert of msg.certs) {
        c += cert.commits.length * embeddedVerify("commit", preset, params) + batchVerify(cert.requests, preset, params);
      }
      break;
    case "stable-proof":
      c += msg.proof.length * embeddedVerify("checkpoint", preset, params);
      break;
    default:
      break;
  }
  return c;
}

function batchVerify(reqs: ReadonlyArray<Request> | null, preset: AuthPreset, p: CostParams): number {
  if (reqs === null) return 0;
  let c = 0;
  const v = verifyCost(AUTH_PRESETS[preset].request, p);
  for (const r of reqs) c += v + digestCost(r.size ?? 0, p);
  return c;
}

/** CPU seconds to execute a batch of requests. */
export function execCost(requests: ReadonlyArray<Request>, params: CostParams = DEFAULT_COSTS): number {
  let c = 0;
  for (const r of requests) c += params.cExecBase + params.cExecPerByte * (r.size ?? 0);
  return c;
}

/** CPU seconds to digest a checkpoint of `snapshotSize` bytes. */
export function checkpointCost(snapshotSize: number, params: CostParams = DEFAULT_COSTS): number {
  return digestCost(snapshotSize, params);
}

/**
 * VIEW-CHANGE-ACKs implied by one VIEW-CHANGE under the TOCS preset (each other backup acks it to
 * the new primary); 0 under signature-based presets. The protocol logic itself is OSDI-style.
 */
export function viewChangeAcks(preset: AuthPreset, n: number): number {
  return preset === "MAC_ALL_WITH_ACKS" ? Math.max(0, n - 2) : 0;
}

/** Size of one VIEW-CHANGE-ACK ⟨v, i, j, digest⟩ with a single MAC. */
export function viewChangeAckSize(sizes: SizeParams = DEFAULT_SIZES): number {
  return sizes.header + 3 * sizes.int + sizes.digest + sizes.mac;
}
