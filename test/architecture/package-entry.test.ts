// The package's public entry as a researcher imports it: `import { PotLedger, Dec } from "potsim"`
// resolved by Node through package.json's exports (the compiled dist/, built by `npm test` first).

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

describe('import from "potsim"', () => {
  it("exposes the PoT ledger, Dec, the PBFT state machines and scenario running", () => {
    const script = `
      import { Dec, PotLedger, defaultParams, STOS, pbft, loadScenario, runScenario, NoopObserver, TraceRecorder, sha256Hex, ledgerAtState, stageSchedule, submitVolumeReport } from "potsim";
      const third = Dec.fromInt(1).quo(Dec.fromInt(3)).toString();
      const l = new PotLedger({ params: defaultParams(), totalMinedWei: 0n,
        metaNodes: [{ networkAddress: "m", owner: "o", depositWei: 1000n * STOS }],
        accounts: [{ address: "u", balanceWei: 10n * STOS }] });
      const r = l.prepay("u", STOS);
      console.log(JSON.stringify({ third, ok: r.ok, price: l.price(), replica: typeof pbft.Replica,
        load: typeof loadScenario, run: typeof runScenario, observer: typeof new NoopObserver().violation,
        recorder: typeof TraceRecorder, sha: sha256Hex("abc"), atState: ledgerAtState({ effectiveDepositWei: STOS }).S === STOS,
        schedule: stageSchedule(defaultParams(), { epochLengthSec: 600 }).length, submit: typeof submitVolumeReport }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({
      third: "0.333333333333333333",
      ok: true,
      price: "1002000.999999998997999000",
      replica: "function",
      load: "function",
      run: "function",
      observer: "function",
      recorder: "function",
      sha: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      atState: true,
      schedule: 6,
      submit: "function",
    });
  });
});
