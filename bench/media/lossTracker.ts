// Counts RTP packets per consumer by sequence number, so loss is measured exactly over a window.
export class LossTracker {
  received = 0;
  #highest: number | undefined;
  #windowStartHighest: number | undefined;
  #windowStartReceived = 0;

  /** Feed every received RTP sequence number (16-bit); unwraps to a 32-bit counter. */
  add(sequenceNumber: number): void {
    this.received++;
    if (this.#highest === undefined) {
      this.#highest = sequenceNumber;
      return;
    }
    const last = this.#highest & 0xffff;
    const delta = (sequenceNumber - last + 0x10000) & 0xffff;
    // Forward steps only (a late, reordered packet counts as received but does not move the edge).
    if (delta > 0 && delta < 0x8000) this.#highest += delta;
  }

  markWindow(): void {
    this.#windowStartHighest = this.#highest;
    this.#windowStartReceived = this.received;
  }

  /** Packets expected and received since markWindow(). */
  window(): { expected: number; received: number } {
    if (this.#highest === undefined || this.#windowStartHighest === undefined)
      return { expected: 0, received: 0 };
    return {
      expected: this.#highest - this.#windowStartHighest,
      received: this.received - this.#windowStartReceived,
    };
  }
}
