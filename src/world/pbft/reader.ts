// The PBFT world's message reader for network rules on protocol fields (net/rules.ts): the same
// view, sequence number and digest a trace shows (describePbftMessage), and whether a message
// concerns "the request of client c". A request, a pre-prepare with its batch, a BATCH and commit
// certificates carry their requests; PREPARE, COMMIT and body-less pre-prepares name a batch by
// digest only, so the reader remembers which requests each batch digest it has seen stands for
// (single-request batches are known from the clients' submissions, as a batch of one request has
// a digest computed from that request's alone). Memory: one entry per batch digest seen.

import type { MessageFields, MessageReader } from "../../net/index.js";
import { batchDigest, type Message, type Request } from "../../protocols/pbft/index.js";
import { describePbftMessage } from "./describe.js";

/** (client, timestamp) pairs a batch digest stands for. */
type Entries = ReadonlyArray<readonly [number, number]>;

export class PbftMessageReader implements MessageReader {
  private readonly batches = new Map<string, Entries>();

  read(msg: unknown, out: MessageFields): void {
    describePbftMessage(msg, out);
  }

  hasRequest(msg: unknown, client: number, timestamp: number): boolean {
    if (typeof msg !== "object" || msg === null) return false;
    const m = msg as Message;
    switch (m.type) {
      case "request":
        return matches(m.request, client, timestamp);
      case "pre-prepare":
      case "batch":
        if (Array.isArray(m.requests)) {
          this.learn(m.digest, m.requests);
          return m.requests.some((r) => matches(r, client, timestamp));
        }
        return this.named(m.digest, client, timestamp);
      case "commit-certs":
        return Array.isArray(m.certs) && m.certs.some((c) => Array.isArray(c?.requests) && c.requests.some((r: Request) => matches(r, client, timestamp)));
      case "prepare":
      case "commit":
      case "fetch-batch":
        return this.named(m.digest, client, timestamp);
      default:
        return false;
    }
  }

  /** A client submitted a request: a batch of it alone has a known digest. */
  submitted(client: number, timestamp: number, digest: string): void {
    const d = batchDigest([{ client, timestamp, digest, op: null, size: 0 }]);
    if (!this.batches.has(d)) this.batches.set(d, [[client, timestamp]]);
  }

  /** Remembers a batch body that passed through the network. */
  note(msg: unknown): void {
    if (typeof msg !== "object" || msg === null) return;
    const m = msg as Message;
    if ((m.type === "pre-prepare" || m.type === "batch") && Array.isArray(m.requests)) this.learn(m.digest, m.requests);
  }

  private learn(digest: unknown, requests: ReadonlyArray<Request>): void {
    if (typeof digest !== "string" || this.batches.has(digest)) return;
    this.batches.set(
      digest,
      requests.filter((r) => typeof r === "object" && r !== null).map((r) => [r.client, r.timestamp] as const),
    );
  }

  private named(digest: unknown, client: number, timestamp: number): boolean {
    if (typeof digest !== "string") return false;
    const e = this.batches.get(digest);
    return e?.some(([c, t]) => c === client && (timestamp < 0 || t === timestamp)) === true;
  }
}

function matches(r: Request | null | undefined, client: number, timestamp: number): boolean {
  return typeof r === "object" && r !== null && r.client === client && (timestamp < 0 || r.timestamp === timestamp);
}
