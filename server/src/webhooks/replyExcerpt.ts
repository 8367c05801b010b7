// The start of a receiver's failed reply, for the delivery log: at most REPLY_EXCERPT_BYTES are read (a
// receiver cannot make the server buffer a large or endless body), control characters are flattened.

/** Bytes of a failed reply kept as the delivery's last error. */
export const REPLY_EXCERPT_BYTES = 512;

export async function readReplyExcerpt(res: Response, maxBytes = REPLY_EXCERPT_BYTES): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A reply cut off (or timed out) mid-body: keep what arrived.
  } finally {
    void reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
  return text.replace(/\p{Cc}+/gu, ' ').trim();
}
