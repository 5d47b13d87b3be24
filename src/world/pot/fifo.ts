// A first-in first-out queue that releases consumed slots (a PBFT client has one outstanding request
// and the world queues the rest per client; report jobs wait here too).

/** FIFO of a client's submitted ops (a PBFT client has one outstanding request and queues the rest). */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head]!;
    this.items[this.head++] = undefined; // nothing stays reachable from a consumed slot
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  get size(): number {
    return this.items.length - this.head;
  }
}
