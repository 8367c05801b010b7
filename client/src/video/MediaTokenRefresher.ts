// Keeps the call's token fresh: when the media server says the token is expiring, sends it the token
// source's current token (`refreshToken`). If the source still holds the token in use (an embed's host has
// not sent setToken yet), the next token the source gets is sent instead, before the server's deadline.

export interface MediaTokenRefresherDeps {
  /** The latest token (the page's token store: an embed's setToken replaces it). */
  token(): string | null;
  /** Sends `refreshToken` on the current connection. */
  send(token: string): Promise<unknown>;
  /** Sending failed (the server refused the token, or the connection went); the old expiry stands. */
  onFailed(error: unknown): void;
}

export class MediaTokenRefresher {
  /** The token the connection joined or last refreshed with: never sent twice. */
  #sent: string | null = null;
  #wanted = false;

  constructor(private readonly deps: MediaTokenRefresherDeps) {}

  /** A (re)joined connection starts from the token it joined with. */
  joinedWith(token: string): void {
    this.#sent = token;
    this.#wanted = false;
  }

  /** The server's `tokenExpiring`. */
  expiring(): void {
    this.#wanted = true;
    this.#send();
  }

  /** The token source has a new token. */
  tokenChanged(): void {
    this.#send();
  }

  #send(): void {
    const token = this.deps.token();
    if (!this.#wanted || !token || token === this.#sent) return;
    this.#wanted = false;
    this.#sent = token;
    this.deps.send(token).catch((error: unknown) => {
      if (this.#sent !== token) return; // rejoined meanwhile
      // Still in need of a good token: the next one the source gets is tried too.
      this.#wanted = true;
      this.deps.onFailed(error);
    });
  }
}
