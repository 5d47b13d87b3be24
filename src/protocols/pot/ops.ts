// Operations of the PoT application as JSON-serialisable objects (bigints as decimal strings), their
// decoding from `unknown`, and their execution on a PotLedger with a canonical result string
// ("ok:<type>[:k=v;...]" or "err:<reason>").

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

function fmt<T>(type: string, out: Outcome<T>, detail?: (v: T) => string): string {
  if (!out.ok) return `err:${out.reason}`;
  const d = detail?.(out.value);
  return d ? `ok:${type}:${d}` : `ok:${type}`;
}

/** Decodes `op` and runs it on `ledger`; never throws for malformed input. */
export function executeOp(ledger: PotLedger, op: unknown): string {
  if (typeof op !== "object" || op === null) return "err:bad_op";
  const o = op as Record<string, unknown>;
  try {
    switch (o.type) {
      case "transfer":
        return fmt("transfer", ledger.transfer(str(o, "from"), str(o, "to"), amount(o, "amountWei")));
      case "foundationDeposit":
        return fmt("foundationDeposit", ledger.foundationDeposit(str(o, "from"), amount(o, "amountWei")));
      case "prepay":
        return fmt("prepay", ledger.prepay(str(o, "sender"), amount(o, "amountWei")), (v) => `purchasedNoz=${v.purchasedNoz}`);
      case "createMetaNode":
        return fmt("createMetaNode", ledger.createMetaNode(nodeArgs(o)));
      case "registerMetaNode":
        return fmt("registerMetaNode", ledger.registerMetaNode(nodeArgs(o)));
      case "voteMetaNodeRegistration":
        return fmt(
          "voteMetaNodeRegistration",
          ledger.voteMetaNodeRegistration({
            candidate: str(o, "candidate"),
            candidateOwner: str(o, "candidateOwner"),
            voter: str(o, "voter"),
            voterOwner: str(o, "voterOwner"),
            approve: bool(o, "approve"),
          }),
          (v) => `bonded=${v.bonded}`,
        );
      case "addMetaNodeDeposit":
        return fmt("addMetaNodeDeposit", ledger.addMetaNodeDeposit(str(o, "networkAddress"), str(o, "owner"), amount(o, "amountWei")));
      case "removeMetaNode":
        return fmt("removeMetaNode", ledger.removeMetaNode(str(o, "networkAddress"), str(o, "owner")), unbondDetail);
      case "voteKickMetaNode":
        return fmt(
          "voteKickMetaNode",
          ledger.voteKickMetaNode({ target: str(o, "target"), voter: str(o, "voter"), voterOwner: str(o, "voterOwner"), approve: bool(o, "approve") }),
          (v) => `kicked=${v.kicked}`,
        );
      case "updateBeneficiary": {
        const kind = o.nodeKind;
        if (kind !== "meta" && kind !== "resource") throw new BadOp("nodeKind");
        return fmt("updateBeneficiary", ledger.updateBeneficiary(kind, str(o, "networkAddress"), str(o, "owner"), str(o, "beneficiary")));
      }
      case "createResourceNode":
        return fmt("createResourceNode", ledger.createResourceNode(nodeArgs(o)));
      case "addResourceNodeDeposit":
        return fmt(
          "addResourceNodeDeposit",
          ledger.addResourceNodeDeposit(str(o, "networkAddress"), str(o, "owner"), amount(o, "amountWei")),
        );
      case "updateEffectiveDeposit":
        return fmt(
          "updateEffectiveDeposit",
          ledger.updateEffectiveDeposit(reporters(o), str(o, "networkAddress"), amount(o, "effectiveTokensWei")),
          (v) => `change=${v.change};ozoneLimitChange=${v.ozoneLimitChange};unsuspended=${v.unsuspended}`,
        );
      case "removeResourceNode":
        return fmt("removeResourceNode", ledger.removeResourceNode(str(o, "networkAddress"), str(o, "owner")), unbondDetail);
      case "slashResourceNode":
        return fmt(
          "slashResourceNode",
          ledger.slashResourceNode(reporters(o), str(o, "networkAddress"), str(o, "walletAddress"), amount(o, "slashingNoz"), bool(o, "suspend")),
          (v) => `slashedWei=${v.slashedWei}`,
        );
      case "volumeReport":
        // The report is decoded (and memoised) by the ledger itself; malformed fields become ValidateBasic errors.
        return fmt(
          "volumeReport",
          ledger.volumeReport(o as unknown as VolumeReportInput),
          (v) =>
            `epoch=${v.epoch};Y=${v.totalVolume};R=${formatRaw(v.trafficRewardRaw)};stage=${v.stage};mined=${v.minedIncrement};traffic=${v.trafficTotal};matured=${v.maturedBlocks}`,
        );
      case "withdraw":
        return fmt("withdraw", ledger.withdraw(str(o, "wallet"), amount(o, "amountWei"), optStr(o, "target")));
      default:
        return "err:unknown_op";
    }
  } catch (e) {
    if (e instanceof BadOp) return `err:bad_op:${e.message}`;
    throw e;
  }
}

function nodeArgs(o: Record<string, unknown>) {
  return { networkAddress: str(o, "networkAddress"), owner: str(o, "owner"), beneficiary: optStr(o, "beneficiary"), depositWei: amount(o, "depositWei") };
}

/** Paid out at once (implicit block mode) or queued until completionTime (explicit mode). */
const unbondDetail = (v: UnbondResult) =>
  "returnedWei" in v ? `returnedWei=${v.returnedWei};slashedWei=${v.slashedWei}` : `unbondingWei=${v.unbondingWei};completionTime=${v.completionTimeSec}`;
