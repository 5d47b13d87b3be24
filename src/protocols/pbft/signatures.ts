// The signature oracle: which CHECKPOINT messages each replica really sent. PBFT assumes a correct
// replica's signed messages cannot be forged (§1.4); certificates embedded in other messages (the
// checkpoint proofs of VIEW-CHANGE, STATE and STABLE-PROOF) are only as good as that assumption. potsim
// computes no signatures, so the unforgeability lives here, outside the protocol: a world's hosts record
// every CHECKPOINT a replica's node transmits under that replica's own id (a Byzantine replica signs
// whatever it sends as itself, but nothing as anybody else), and a replica checks each CHECKPOINT of a
// proof against the record. Keyed by content, so copies (persistence, relays) verify like the original.
// May import: nothing (a CHECKPOINT is read by its fields, so digest.ts, which holds the oracle
// in its DigestMemo, does not import messages.ts through this file).

/** The fields of a CHECKPOINT message (messages.ts Checkpoint) that identify what was signed. */
export interface SignedCheckpoint {
  readonly replica: number;
  readonly seq: number;
  readonly digest: string;
}

export class SignedCheckpoints {
  private readonly sent = new Set<string>();

  /** Host side: replica `m.replica` transmitted `m` (call only when the transmitting node is that replica). */
  record(m: SignedCheckpoint): void {
    this.sent.add(key(m));
  }

  /** Replica side: `m` was signed by the replica it names. */
  signed(m: SignedCheckpoint): boolean {
    return this.sent.has(key(m));
  }
}

function key(m: SignedCheckpoint): string {
  return `${m.replica}|${m.seq}|${m.digest}`;
}
