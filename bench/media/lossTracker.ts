// Counts RTP packets per consumer by sequence number, so loss is measured exactly over a window. A packet that
// arrives twice (a retransmission after a NACK whose original was only late) counts once: received means
// distinct sequence numbers, so loss can never be negative.
export class LossTracker {
  /** Every packet, duplicates included (the first one tells when media started flowing). */
  received = 0;
  #highest: number | undefined;
  #windowStartHighest: number | undefined;
  /** Unwrapped sequence numbers seen since markWindow(). */
  #seen = new Set<number>();

  /** Feed every received RTP sequence number (16-bit); unwraps to a 32-bit counter. */
  add(sequenceNumber: number): void {
    this.received++;
    if (this.#highest === undefined) {
      this.#highest = sequenceNumber;
      return;
    }
    const last = this.#highest & 0xffff;
    const delta = (sequenceNumber - last + 0x10000) & 0xffff;
    // Forward steps move the edge; a late, reordered packet is placed behind it.
    const unwrapped = delta < 0x8000 ? this.#highest + delta : this.#highest - (0x10000 - delta);
    if (unwrapped > this.#highest) this.#highest = unwrapped;
    if (this.#windowStartHighest !== undefined && unwrapped > this.#windowStartHighest)
      this.#seen.add(unwrapped);
  }

  markWindow(): void {
    this.#windowStartHighest = this.#highest;
    this.#seen.clear();
  }

  /** Packets expected and (distinct ones) received since markWindow(). */
  window(): { expected: number; received: number } {
    if (this.#highest === undefined || this.#windowStartHighest === undefined)
      return { expected: 0, received: 0 };
    return { expected: this.#highest - this.#windowStartHighest, received: this.#seen.size };
  }
}
