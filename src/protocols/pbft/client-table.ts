// Per-client reply cache (last executed timestamp and its result, C4/R-E2), with an incremental
// order-independent digest so checkpoint digests cover it at O(1) cost, and the checkpoint
// digest that combines it with the application's state digest.

import { type EntryLanes, hashString, SetHash } from "./digest.js";
import type { ClientEntry } from "./messages.js";

export interface ClientRecord {
  readonly timestamp: number;
  readonly result: string;
}

/** A record and its entry's lanes in the table digest (replacing a record removes them unhashed). */
interface Slot extends EntryLanes {
  readonly rec: ClientRecord;
}

export class ClientTable {
  private map = new Map<number, Slot>();
  private readonly hash = new SetHash();

  get(client: number): ClientRecord | undefined {
    return this.map.get(client)?.rec;
  }

  get size(): number {
    return this.map.size;
  }

  set(client: number, rec: ClientRecord): void {
    const old = this.map.get(client);
    if (old !== undefined) this.hash.toggleLanes(old);
    // The entry is the text `${client}:${timestamp}:${result}`, hashed by parts.
    this.hash.toggleJoined(String(client), String(rec.timestamp), rec.result);
    this.map.set(client, { rec, a: this.hash.lastA, b: this.hash.lastB });
  }

  digest(): string {
    return this.hash.hex();
  }

  /** Entries ascending by client id (wire / persistence form). */
  entries(): ClientEntry[] {
    const ids = [...this.map.keys()].sort((a, b) => a - b);
    return ids.map((c) => {
      const r = this.map.get(c)!.rec;
      return { client: c, timestamp: r.timestamp, result: r.result };
    });
  }

  /** A frozen copy (records are immutable, so a shallow copy suffices). */
  copy(): ClientTable {
    const t = new ClientTable();
    // forEach, not new Map(this.map): the Map constructor walks the iterator protocol, an entry array
    // and a result object per client, at every checkpoint of every replica.
    const map = t.map;
    this.map.forEach((slot, client) => {
      map.set(client, slot);
    });
    t.hash.copyFrom(this.hash);
    return t;
  }

  static fromEntries(entries: ReadonlyArray<ClientEntry>): ClientTable {
    const t = new ClientTable();
    for (const e of entries) t.set(e.client, { timestamp: e.timestamp, result: e.result });
    return t;
  }
}

/** Checkpoint digest: the application state digest combined with the reply-table digest. */
export function checkpointDigest(appDigest: string, tableDigest: string): string {
  return hashString(`CK|${appDigest}|${tableDigest}`);
}
