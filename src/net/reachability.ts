// net/reachability: who can currently reach whom. Holds the active cuts — partitions (as a side
// label per node), isolated nodes, cut directed links — and crashed ("down") nodes. Memory is
// O(nodes) per partition, never O(nodes²), and the check is one comparison while nothing is cut.
// May import: nothing.

/** A partition: nodes on different sides cannot talk (one direction only if asymmetric). */
export interface Cut {
  /** Side (group number) of every node. */
  readonly side: Int32Array;
  /** false: only messages from a lower side number to a higher one are cut. */
  readonly symmetric: boolean;
}

/** Sides for listed groups; unlisted nodes share one extra side numbered after them. */
export function sidesFromGroups(groups: readonly (readonly number[])[], nodeCount: number): Int32Array {
  const side = new Int32Array(nodeCount).fill(groups.length);
  groups.forEach((g, i) => {
    for (const node of g) {
      checkNode(node, nodeCount);
      side[node] = i;
    }
  });
  return side;
}

/** Sides for cutting one node off: it is side 0, everyone else side 1. */
export function sidesIsolating(node: number, nodeCount: number): Int32Array {
  checkNode(node, nodeCount);
  const side = new Int32Array(nodeCount).fill(1);
  side[node] = 0;
  return side;
}

export function checkNode(node: number, nodeCount: number): void {
  if (!(Number.isInteger(node) && node >= 0 && node < nodeCount)) {
    throw new RangeError(`node id ${node} out of range [0, ${nodeCount})`);
  }
}

export class Reachability {
  private readonly isolated: Uint8Array;
  private isolatedCount = 0;
  private readonly cutLinks = new Set<number>();
  private readonly partitions: Cut[] = [];
  /** isolated + cut links + partitions: zero means "fully connected", the common case. */
  private cuts = 0;
  private readonly down: Uint8Array;

  constructor(readonly nodeCount: number) {
    this.isolated = new Uint8Array(nodeCount);
    this.down = new Uint8Array(nodeCount);
  }

  /** Whether a message from `from` can currently reach `to` (ignores down nodes). A node always reaches itself. */
  connected(from: number, to: number): boolean {
    if (this.cuts === 0 || from === to) return true;
    if (this.isolatedCount > 0 && (this.isolated[from] === 1 || this.isolated[to] === 1)) return false;
    if (this.cutLinks.size > 0 && this.cutLinks.has(from * this.nodeCount + to)) return false;
    const ps = this.partitions;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      const a = p.side[from]!;
      const b = p.side[to]!;
      if (a !== b && (p.symmetric || a < b)) return false;
    }
    return true;
  }

  get partitionCount(): number {
    return this.partitions.length;
  }

  isDown(node: number): boolean {
    return this.down[node] === 1;
  }

  setDown(node: number, down: boolean): void {
    this.down[node] = down ? 1 : 0;
  }

  isIsolated(node: number): boolean {
    return this.isolated[node] === 1;
  }

  isolate(node: number): void {
    if (this.isolated[node] === 1) return;
    this.isolated[node] = 1;
    this.isolatedCount++;
    this.cuts++;
  }

  reconnect(node: number): void {
    if (this.isolated[node] === 0) return;
    this.isolated[node] = 0;
    this.isolatedCount--;
    this.cuts--;
  }

  cutLink(from: number, to: number): void {
    const key = from * this.nodeCount + to;
    if (this.cutLinks.has(key)) return;
    this.cutLinks.add(key);
    this.cuts++;
  }

  restoreLink(from: number, to: number): void {
    if (this.cutLinks.delete(from * this.nodeCount + to)) this.cuts--;
  }

  addPartition(cut: Cut): void {
    this.partitions.push(cut);
    this.cuts++;
  }

  /** Removes this exact partition object; false if it was not active. */
  removePartition(cut: Cut): boolean {
    const i = this.partitions.indexOf(cut);
    if (i < 0) return false;
    this.partitions.splice(i, 1);
    this.cuts--;
    return true;
  }
}
