// Genesis funding of `model: pot`, checked at validation: what the genesis must place (the preset's
// foundation pool, meta-node and resource-node deposits, Sybil deposits and funds, users' balances)
// against the initial supply, and whether users can ever afford a prepay. The same arithmetic as
// world/pot-config.ts `buildGenesis` (amounts rounded to micro-STOS as `stosToWei` does), written
// here as a pure function because scenario/ imports nothing of the simulator;
// test/scenario/funding.test.ts checks that both agree on the shipped presets and on the edge.
// May import: nothing.

/**
 * The genesis presets as far as funding goes (protocols/pot/params.ts): the initial total supply
 * is 100 M STOS; the foundation keeps the mining pool, the schedule's 40 M STOS cap minus what is
 * already mined (mainnet: 1 M pre-mined; the code defaults: nothing).
 */
export const GENESIS_FUNDING = {
  mainnet: { supplyStos: 100_000_000, foundationStos: 39_000_000 },
  default: { supplyStos: 100_000_000, foundationStos: 40_000_000 },
} as const;

/** STOS → micro-STOS, rounded exactly as world/pot-config.ts `stosToWei` rounds before scaling to wei. */
export function microStos(stos: number): bigint {
  return BigInt(Math.round(stos * 1e6));
}

export interface FundingInput {
  genesis: keyof typeof GENESIS_FUNDING;
  metaNodes: { count: number; depositStos: number };
  resourceNodes: { count: number; depositStos: number };
  users: { count: number; initialStos: number };
  sybils: readonly { wallets: number; depositStos: number; budgetStos: number; activeEpochs: number }[];
}

export interface FundingLine {
  /** The scenario key that sets this amount (relative to the scenario root), for messages. */
  readonly key: string;
  readonly what: string;
  readonly micro: bigint;
}

export interface Funding {
  readonly lines: readonly FundingLine[];
  readonly totalMicro: bigint;
  readonly supplyMicro: bigint;
}

/** Every allocation the genesis makes, in micro-STOS. */
export function genesisFunding(f: FundingInput): Funding {
  const preset = GENESIS_FUNDING[f.genesis];
  const m = (stos: number, times: number) => microStos(stos) * BigInt(times);
  const lines: FundingLine[] = [
    { key: "economics.genesis", what: `foundation mining pool (genesis ${f.genesis})`, micro: microStos(preset.foundationStos) },
    { key: "economics.metaNodes.depositStos", what: `${f.metaNodes.count} meta-node deposits`, micro: m(f.metaNodes.depositStos, f.metaNodes.count) },
    {
      key: "economics.resourceNodes.depositStos",
      what: `${f.resourceNodes.count} resource-node deposits`,
      micro: m(f.resourceNodes.depositStos, f.resourceNodes.count),
    },
    { key: "economics.users.initialStos", what: `${f.users.count} users' balances`, micro: m(f.users.initialStos, f.users.count) },
  ];
  f.sybils.forEach((s, g) => {
    lines.push({ key: `attacks.sybils[${g}].depositStos`, what: `Sybil group ${g}: ${s.wallets} deposits`, micro: m(s.depositStos, s.wallets) });
    lines.push({
      key: `attacks.sybils[${g}].budgetStos`,
      what: `Sybil group ${g}: ${s.activeEpochs} epochs of budget`,
      micro: m(s.budgetStos, s.activeEpochs),
    });
  });
  let totalMicro = 0n;
  for (const l of lines) totalMicro += l.micro;
  return { lines, totalMicro, supplyMicro: microStos(preset.supplyStos) };
}

/** Epochs a run reports: `epochs`, or floor(until / epochLength) (world/pot-config.ts `epochCount`). */
export function epochCount(epochs: number | undefined, epochLength: number, until: number): number {
  return epochs ?? Math.floor(until / epochLength + 1e-9);
}

/** Epochs in [fromEpoch, min(toEpoch, last)] (0 when empty). */
export function activeEpochs(fromEpoch: number, toEpoch: number | undefined, last: number): number {
  return Math.max(0, Math.min(toEpoch ?? last, last) - fromEpoch + 1);
}

/** micro-STOS as a STOS figure with thousands separators, for messages. */
export function formatStos(micro: bigint): string {
  const whole = micro / 1_000_000n;
  const frac = micro % 1_000_000n;
  const w = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac === 0n ? w : `${w}.${frac.toString().padStart(6, "0").replace(/0+$/, "")}`;
}
