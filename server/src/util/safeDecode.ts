// decodeURIComponent without the throw: a malformed escape from the network is a value to refuse, not an
// exception that unwinds through a socket handler.

/** The decoded text, or undefined when `text` holds a malformed percent-escape or invalid UTF-8. */
export function safeDecodeURIComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
