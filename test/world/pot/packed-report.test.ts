// Packed volume reports (world/pot/app.ts): the PBFT op carries the list as the lines of its sign bytes.
// A replica without the builder's memo (a fresh codec: restarted, or fed by state transfer) decodes
// the very same report, and the request digest covers the payload's bytes.

import { describe, expect, it } from "vitest";
import { createSharedCache, STOS, type VolumeReportOp } from "../../../src/protocols/pot/index.js";
import { requestDigest } from "../../../src/protocols/pbft/index.js";
import { MetaCommittee } from "../../../src/world/pot/actors.js";
import { ReportCodec } from "../../../src/world/pot/app.js";

const fields = (op: VolumeReportOp) => ({ ...op, walletVolumes: op.walletVolumes.map((w) => ({ ...w })) });

describe("packed volume reports", () => {
  it("decode to the builder's op with a fresh codec (honest and inflated)", () => {
    const codec = new ReportCodec();
    const plan = { members: [0, 1], factor: 3, mode: "scale" as const, padSigners: false, fromEpoch: 1, toEpoch: 10 };
    const c = new MetaCommittee(7, ["rw0", "rw1", "rw2", "rw3"], [plan], createSharedCache(), codec);
    c.outstandingNoz = STOS;
    c.vol.set([1500, 0, 2_000_000_001.4, 7]);
    const v = c.closeEpoch()!;
    for (const built of [c.honest(3, 2, v), c.inflated(3, 0, 0, v)]) {
      expect(codec.decode(built.packed)).toBe(built.full); // the builder's memo
      const decoded = new ReportCodec().decode(built.packed) as VolumeReportOp;
      expect(fields(decoded)).toEqual(fields(built.full));
      expect(decoded.walletVolumes).toHaveLength(built.entries);
    }
    expect(c.honest(3, 2, v).full.walletVolumes).toEqual([
      { wallet: "rw0", volume: "1500" },
      { wallet: "rw2", volume: "2000000001" },
      { wallet: "rw3", volume: "7" },
    ]);
  });

  it("change their request digest when one payload byte changes", () => {
    const c = new MetaCommittee(7, ["rw0", "rw1"], [], createSharedCache(), new ReportCodec());
    c.outstandingNoz = STOS;
    c.vol.set([15, 26]);
    const { packed } = c.honest(1, 0, c.closeEpoch()!);
    const lines = new Uint8Array(packed.lines);
    lines[lines.length - 2]! ^= 1;
    expect(requestDigest(1, 1, { ...packed, lines })).not.toBe(requestDigest(1, 1, packed));
    expect(requestDigest(1, 1, { ...packed, lines: new Uint8Array(packed.lines) })).toBe(requestDigest(1, 1, packed));
  });
});
