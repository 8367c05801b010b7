// The request headers Hocuspocus is given for a socket: none. Hocuspocus only hands `request.headers` on to
// its hooks' payloads, and no hook of Tandem's reads them (tokens come in the Auth message, the origin is
// checked at the upgrade). One shared, empty, read-only object stands in for a fetch `Headers` per socket,
// which cost a copy of every header per connection and loaded Node's fetch (undici, ~1.3 MiB of heap) into a
// process that never fetches.

function immutable(): never {
  throw new TypeError('these headers are immutable');
}

class NoHeaders implements Headers {
  append = immutable;
  delete = immutable;
  set = immutable;
  get(): string | null {
    return null;
  }
  getSetCookie(): string[] {
    return [];
  }
  has(): boolean {
    return false;
  }
  forEach(): void {}
  *entries(): HeadersIterator<[string, string]> {}
  *keys(): HeadersIterator<string> {}
  *values(): HeadersIterator<string> {}
  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }
}

export const NO_HEADERS: Headers = Object.freeze(new NoHeaders());
