// The PoT ledger as a library: start at a chosen state, buy ozone, settle one volume report, and read
// every number behind the results. Run from the repository after `npm run build`:
//   node examples/pot-library.mjs
// (test/examples/pot-library.test.ts runs this file and checks what it prints.)

import { formatRaw, ledgerAtState, mainnetGenesis, STOS, stageSchedule, submitVolumeReport } from "potsim";

const stos = (wei) => formatRaw(wei); // wei and STOS share the 18-decimal scale

// Mainnet's parameters (τ = 0.01, r = 10^6 wei/noz) and its launch state: 7 meta nodes × 9,900 STOS,
// 1 M STOS already mined, nothing prepaid. Explicit blocks, as on chain.
const ledger = ledgerAtState(
  {
    effectiveDepositWei: 7n * 9_900n * STOS,
    totalMinedWei: 1_000_000n * STOS,
    params: mainnetGenesis().params,
    accounts: [{ address: "alice", balanceWei: 100n * STOS }],
  },
  { blockMode: "explicit" },
);
console.log(`S = ${ledger.S} wei, P = ${ledger.P} wei, L = ${ledger.L} noz, M = ${ledger.M} wei`);
console.log(`price = ${ledger.price()} wei/noz`);

// Alice prepays 10 STOS in block 1.
ledger.beginBlock(0);
const prepay = ledger.prepay("alice", 10n * STOS);
ledger.endBlock();
if (!prepay.ok) throw new Error(prepay.reason);
console.log(`prepay 10 STOS: purchased = ${prepay.value.purchasedNoz} noz (quotient ${formatRaw(prepay.value.quotientRaw)})`);
console.log(`price = ${ledger.price()} wei/noz`);

// The meta nodes report half of it as consumed by two resource-node wallets; one call signs it by every
// bonded meta node and runs block 2 (at t = 600 s).
const half = prepay.value.purchasedNoz / 2n;
const { outcome } = submitVolumeReport(ledger, { walletVolumes: { "rn-wallet-a": (half * 3n) / 4n, "rn-wallet-b": half / 4n }, timeSec: 600 });
if (!outcome.ok) throw new Error(outcome.reason);
const r = outcome.value;
console.log(`report epoch ${r.epoch}: Y = ${r.totalVolume} noz, R = ${formatRaw(r.trafficRewardRaw)} wei, stage ${r.stage}`);
const c = r.byClass;
console.log(`validators: mining ${stos(c.validators.miningWei)} STOS, traffic ${c.validators.trafficWei} wei`);
console.log(`resource nodes: mining ${stos(c.resourceNodes.miningWei)} STOS, traffic ${c.resourceNodes.trafficWei} wei`);
console.log(`meta nodes (${c.metaNodes.count}): mining ${stos(c.metaNodes.miningWei)} STOS, traffic ${c.metaNodes.trafficWei} wei`);
console.log(`community tax: ${c.communityTaxWei} wei; left in P: ${formatRaw(c.trafficUnpaidRaw)} wei; left in the foundation: ${c.miningUnpaidWei} wei`);
console.log(`price = ${ledger.price()} wei/noz`);

// The schedule ahead at 10-minute epochs.
for (const s of stageSchedule(ledger.params, { epochLengthSec: 600, totalMinedWei: ledger.M, fromEpoch: ledger.lastEpoch })) {
  console.log(`stage ${s.stage}: ${stos(s.rewardWei)} STOS per report, epochs ${s.startEpoch}-${s.endEpoch} (${s.nominalEpochs}), ${(s.durationSec / 86_400 / 365).toFixed(2)} years`);
}
