// Operations of the PoT application as JSON-serialisable objects (bigints as decimal strings), their
// decoding from `unknown`, and their execution on a PotLedger. An execution's result is a typed value
// (OpResult: one variant per operation, carrying the ledger's own result, or the refusal reason);
// resultText is the one place that turns it into the canonical string a PBFT reply carries
// ("ok:<type>[:k=v;...]" or "err:<reason>"), whose bytes the replicas' reply digests cover.

import { formatRaw } from "./dec.js";
import type { Outcome, PotLedger, UnbondResult } from "./ledger.js";
import type { VolumeReportInput, WalletVolume } from "./report.js";

/** A wei or noz amount: decimal string (canonical), or a safe integer / bigint for convenience. */
export type AmountLike = string | number | bigint;

export interface TransferOp {
  readonly type: "transfer";
  readonly from: string;
  readonly to: string;
  readonly amountWei: AmountLike;
}
export interface FoundationDepositOp {
  readonly type: "foundationDeposit";
  readonly from: string;
  readonly amountWei: AmountLike;
}
export interface PrepayOp {
  readonly type: "prepay";
  readonly sender: string;
  /** Who the ozone is for (off-chain credit); informational. */
  readonly beneficiary?: string;
  readonly amountWei: AmountLike;
}
export interface CreateMetaNodeOp {
  readonly type: "createMetaNode";
  readonly networkAddress: string;
  readonly owner: string;
  readonly beneficiary?: string;
  readonly depositWei: AmountLike;
}
/** Creation plus an already-passed registration vote. */
export interface RegisterMetaNodeOp {
  readonly type: "registerMetaNode";
  readonly networkAddress: string;
  readonly owner: string;
  readonly beneficiary?: string;
  readonly depositWei: AmountLike;
}
export interface VoteMetaNodeRegistrationOp {
  readonly type: "voteMetaNodeRegistration";
  readonly candidate: string;
  readonly candidateOwner: string;
  readonly voter: string;
  readonly voterOwner: string;
  readonly approve: boolean;
}
export interface AddMetaNodeDepositOp {
  readonly type: "addMetaNodeDeposit";
  readonly networkAddress: string;
  readonly owner: string;
  readonly amountWei: AmountLike;
}
export interface RemoveMetaNodeOp {
  readonly type: "removeMetaNode";
  readonly networkAddress: string;
  readonly owner: string;
}
export interface VoteKickMetaNodeOp {
  readonly type: "voteKickMetaNode";
  readonly target: string;
  readonly voter: string;
  readonly voterOwner: string;
  readonly approve: boolean;
}
export interface UpdateBeneficiaryOp {
  readonly type: "updateBeneficiary";
  readonly nodeKind: "meta" | "resource";
  readonly networkAddress: string;
  readonly owner: string;
  readonly beneficiary: string;
}
export interface CreateResourceNodeOp {
  readonly type: "createResourceNode";
  readonly networkAddress: string;
  readonly owner: string;
  readonly beneficiary?: string;
  readonly depositWei: AmountLike;
}
export interface AddResourceNodeDepositOp {
  readonly type: "addResourceNodeDeposit";
  readonly networkAddress: string;
  readonly owner: string;
  readonly amountWei: AmountLike;
}
export interface UpdateEffectiveDepositOp {
  readonly type: "updateEffectiveDeposit";
  readonly reporters: readonly string[];
  readonly reporterOwners: readonly string[];
  readonly networkAddress: string;
  readonly effectiveTokensWei: AmountLike;
}
export interface RemoveResourceNodeOp {
  readonly type: "removeResourceNode";
  readonly networkAddress: string;
  readonly owner: string;
}
export interface SlashResourceNodeOp {
  readonly type: "slashResourceNode";
  readonly reporters: readonly string[];
  readonly reporterOwners: readonly string[];
  readonly networkAddress: string;
  readonly walletAddress: string;
  readonly slashingNoz: AmountLike;
  readonly suspend: boolean;
}
export interface VolumeReportOp extends VolumeReportInput {
  readonly type: "volumeReport";
  readonly walletVolumes: readonly WalletVolume[];
}
export interface WithdrawOp {
  readonly type: "withdraw";
  readonly wallet: string;
  readonly amountWei: AmountLike;
  readonly target?: string;
}

export type PotOp =
  | TransferOp
  | FoundationDepositOp
  | PrepayOp
  | CreateMetaNodeOp
  | RegisterMetaNodeOp
  | VoteMetaNodeRegistrationOp
  | AddMetaNodeDepositOp
  | RemoveMetaNodeOp
  | VoteKickMetaNodeOp
  | UpdateBeneficiaryOp
  | CreateResourceNodeOp
  | AddResourceNodeDepositOp
  | UpdateEffectiveDepositOp
  | RemoveResourceNodeOp
  | SlashResourceNodeOp
  | VolumeReportOp
  | WithdrawOp;

export type PotOpType = PotOp["type"];

/** Thrown while decoding a malformed op; turned into "err:bad_op:<field>". */
class BadOp extends Error {}

const INT_RE = /^-?\d+$/;

function amount(o: Record<string, unknown>, k: string): bigint {
  const v = o[k];
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && INT_RE.test(v)) return BigInt(v);
  throw new BadOp(k);
}

function str(o: Record<string, unknown>, k: string): string {
  const v = o[k];
  if (typeof v !== "string") throw new BadOp(k);
  return v;
}

function optStr(o: Record<string, unknown>, k: string): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new BadOp(k);
  return v;
}

function bool(o: Record<string, unknown>, k: string): boolean {
  const v = o[k];
  if (typeof v !== "boolean") throw new BadOp(k);
  return v;
}

function strs(o: Record<string, unknown>, k: string): string[] {
  const v = o[k];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw new BadOp(k);
  return v as string[];
}

const reporters = (o: Record<string, unknown>) => ({ reporters: strs(o, "reporters"), reporterOwners: strs(o, "reporterOwners") });

/** The value of a successful Outcome. */
type ValueOf<O> = O extends { readonly ok: true; readonly value: infer V } ? V : never;
type LedgerValue<M extends keyof PotLedger> = PotLedger[M] extends (...args: never[]) => infer O ? ValueOf<O> : never;

/** What each operation's success carries: the ledger method's own result (derived, not copied). */
export type OpValues = {
  transfer: LedgerValue<"transfer">;
  foundationDeposit: LedgerValue<"foundationDeposit">;
  prepay: LedgerValue<"prepay">;
  createMetaNode: LedgerValue<"createMetaNode">;
  registerMetaNode: LedgerValue<"registerMetaNode">;
  voteMetaNodeRegistration: LedgerValue<"voteMetaNodeRegistration">;
  addMetaNodeDeposit: LedgerValue<"addMetaNodeDeposit">;
  removeMetaNode: LedgerValue<"removeMetaNode">;
  voteKickMetaNode: LedgerValue<"voteKickMetaNode">;
  updateBeneficiary: LedgerValue<"updateBeneficiary">;
  createResourceNode: LedgerValue<"createResourceNode">;
  addResourceNodeDeposit: LedgerValue<"addResourceNodeDeposit">;
  updateEffectiveDeposit: LedgerValue<"updateEffectiveDeposit">;
  removeResourceNode: LedgerValue<"removeResourceNode">;
  slashResourceNode: LedgerValue<"slashResourceNode">;
  volumeReport: LedgerValue<"volumeReport">;
  withdraw: LedgerValue<"withdraw">;
};

/** An operation that executed: its type and the ledger's result (narrow on `type` to read `value`). */
export type OpDone = { [T in PotOpType]: { readonly ok: true; readonly type: T; readonly value: OpValues[T] } }[PotOpType];

/**
 * An operation refused by the ledger (state unchanged) or not decodable: `reason` is the ledger's
 * reason, "bad_op" (not an object), "bad_op:<field>" (a malformed field) or "unknown_op".
 */
export interface OpRefused {
  readonly ok: false;
  readonly reason: string;
}

/** The result of executing one operation. */
export type OpResult = OpDone | OpRefused;

const refused = (reason: string): OpRefused => ({ ok: false, reason });

function done<T extends PotOpType>(type: T, out: Outcome<OpValues[T]>): OpResult {
  // TypeScript cannot tie the generic T to its member of the OpDone union; the literal is that member.
  return out.ok ? ({ ok: true, type, value: out.value } as OpDone) : out;
}

/**
 * The canonical text of a result, as PBFT replies carry it: "err:<reason>", or "ok:<type>" followed,
 * for operations whose result has fields, by ":k=v;…". Replies are compared and digested as these
 * bytes, so the text must stay exactly this.
 */
export function resultText(r: OpResult): string {
  if (!r.ok) return `err:${r.reason}`;
  switch (r.type) {
    case "prepay":
      return `ok:prepay:purchasedNoz=${r.value.purchasedNoz}`;
    case "voteMetaNodeRegistration":
      return `ok:voteMetaNodeRegistration:bonded=${r.value.bonded}`;
    case "removeMetaNode":
    case "removeResourceNode":
      return `ok:${r.type}:${unbondDetail(r.value)}`;
    case "voteKickMetaNode":
      return `ok:voteKickMetaNode:kicked=${r.value.kicked}`;
    case "updateEffectiveDeposit": {
      const v = r.value;
      return `ok:updateEffectiveDeposit:change=${v.change};ozoneLimitChange=${v.ozoneLimitChange};unsuspended=${v.unsuspended}`;
    }
    case "slashResourceNode":
      return `ok:slashResourceNode:slashedWei=${r.value.slashedWei}`;
    case "volumeReport": {
      const v = r.value;
      return `ok:volumeReport:epoch=${v.epoch};Y=${v.totalVolume};R=${formatRaw(v.trafficRewardRaw)};stage=${v.stage};mined=${v.minedIncrement};traffic=${v.trafficTotal};matured=${v.maturedBlocks}`;
    }
    default:
      return `ok:${r.type}`;
  }
}

/** Decodes `op` and runs it on `ledger`; never throws for malformed input. */
export function executeOp(ledger: PotLedger, op: unknown): OpResult {
  if (typeof op !== "object" || op === null) return refused("bad_op");
  const o = op as Record<string, unknown>;
  try {
    switch (o.type) {
      case "transfer":
        return done("transfer", ledger.transfer(str(o, "from"), str(o, "to"), amount(o, "amountWei")));
      case "foundationDeposit":
        return done("foundationDeposit", ledger.foundationDeposit(str(o, "from"), amount(o, "amountWei")));
      case "prepay":
        return done("prepay", ledger.prepay(str(o, "sender"), amount(o, "amountWei")));
      case "createMetaNode":
        return done("createMetaNode", ledger.createMetaNode(nodeArgs(o)));
      case "registerMetaNode":
        return done("registerMetaNode", ledger.registerMetaNode(nodeArgs(o)));
      case "voteMetaNodeRegistration":
        return done(
          "voteMetaNodeRegistration",
          ledger.voteMetaNodeRegistration({
            candidate: str(o, "candidate"),
            candidateOwner: str(o, "candidateOwner"),
            voter: str(o, "voter"),
            voterOwner: str(o, "voterOwner"),
            approve: bool(o, "approve"),
          }),
        );
      case "addMetaNodeDeposit":
        return done("addMetaNodeDeposit", ledger.addMetaNodeDeposit(str(o, "networkAddress"), str(o, "owner"), amount(o, "amountWei")));
      case "removeMetaNode":
        return done("removeMetaNode", ledger.removeMetaNode(str(o, "networkAddress"), str(o, "owner")));
      case "voteKickMetaNode":
        return done(
          "voteKickMetaNode",
          ledger.voteKickMetaNode({ target: str(o, "target"), voter: str(o, "voter"), voterOwner: str(o, "voterOwner"), approve: bool(o, "approve") }),
        );
      case "updateBeneficiary": {
        const kind = o.nodeKind;
        if (kind !== "meta" && kind !== "resource") throw new BadOp("nodeKind");
        return done("updateBeneficiary", ledger.updateBeneficiary(kind, str(o, "networkAddress"), str(o, "owner"), str(o, "beneficiary")));
      }
      case "createResourceNode":
        return done("createResourceNode", ledger.createResourceNode(nodeArgs(o)));
      case "addResourceNodeDeposit":
        return done("addResourceNodeDeposit", ledger.addResourceNodeDeposit(str(o, "networkAddress"), str(o, "owner"), amount(o, "amountWei")));
      case "updateEffectiveDeposit":
        return done("updateEffectiveDeposit", ledger.updateEffectiveDeposit(reporters(o), str(o, "networkAddress"), amount(o, "effectiveTokensWei")));
      case "removeResourceNode":
        return done("removeResourceNode", ledger.removeResourceNode(str(o, "networkAddress"), str(o, "owner")));
      case "slashResourceNode":
        return done(
          "slashResourceNode",
          ledger.slashResourceNode(reporters(o), str(o, "networkAddress"), str(o, "walletAddress"), amount(o, "slashingNoz"), bool(o, "suspend")),
        );
      case "volumeReport":
        // The report is decoded (and memoised) by the ledger itself; malformed fields become ValidateBasic errors.
        return done("volumeReport", ledger.volumeReport(o as unknown as VolumeReportInput));
      case "withdraw":
        return done("withdraw", ledger.withdraw(str(o, "wallet"), amount(o, "amountWei"), optStr(o, "target")));
      default:
        return refused("unknown_op");
    }
  } catch (e) {
    if (e instanceof BadOp) return refused(`bad_op:${e.message}`);
    throw e;
  }
}

function nodeArgs(o: Record<string, unknown>) {
  return { networkAddress: str(o, "networkAddress"), owner: str(o, "owner"), beneficiary: optStr(o, "beneficiary"), depositWei: amount(o, "depositWei") };
}

/** Paid out at once (implicit block mode) or queued until completionTime (explicit mode). */
const unbondDetail = (v: UnbondResult) =>
  "returnedWei" in v ? `returnedWei=${v.returnedWei};slashedWei=${v.slashedWei}` : `unbondingWei=${v.unbondingWei};completionTime=${v.completionTimeSec}`;
