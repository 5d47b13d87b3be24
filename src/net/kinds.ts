// net/kinds: interns message-kind strings to small dense ids, so per-message bookkeeping indexes
// typed arrays instead of hashing strings. Ids follow first-use order (deterministic for a
// deterministic run); reports sort by name, never by id.
// May import: nothing.

export class KindTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  // one-entry cache: hosts tend to send runs of the same kind (broadcasts, batches)
  private lastName = "";
  private lastId = -1;

  get size(): number {
    return this.names.length;
  }

  /** The id of `name`, allocating the next id on first use. */
  intern(name: string): number {
    if (name === this.lastName && this.lastId >= 0) return this.lastId;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    this.lastName = name;
    this.lastId = id;
    return id;
  }

  /** The id of `name`, or -1 if it was never used. */
  lookup(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  name(id: number): string {
    return this.names[id]!;
  }
}
