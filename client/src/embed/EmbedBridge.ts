// The embed's end of the postMessage API: finds the host page's origin, accepts commands only from that
// window and origin, and sends events only to that origin (never '*'). Types and rules are in @tandem/shared.
import {
  type EmbedCommand,
  type EmbedEventBody,
  embedEvent,
  isAllowedEmbedOrigin,
  originOf,
  parseEmbedCommand,
} from '@tandem/shared';

export const EMBED_ORIGINS_META = 'tandem-embed-origins';

/** Origins the server allows to frame embeds (it writes the same list into CSP frame-ancestors). */
export function allowedOriginsFromPage(doc: Document): string[] {
  const content = doc.querySelector(`meta[name="${EMBED_ORIGINS_META}"]`)?.getAttribute('content') ?? '';
  return content.split(/\s+/).filter((o) => originOf(o) === o);
}

/**
 * The host's origin: the `parent` query parameter when the host names itself, else the referrer, else
 * (Chromium) the first ancestor origin. Null when not framed or when that origin is not allowed.
 */
export function resolveParentOrigin(input: {
  framed: boolean;
  selfOrigin: string;
  allowed: readonly string[];
  queryParent: string | null;
  referrer: string;
  ancestorOrigins: readonly string[];
}): string | null {
  if (!input.framed) return null;
  const candidates = [input.queryParent, originOf(input.referrer), input.ancestorOrigins[0] ?? null];
  const candidate = candidates.find((c): c is string => typeof c === 'string' && originOf(c) === c) ?? null;
  if (!candidate) return null;
  // When the browser tells us the real parent origin, a claimed one must match it.
  const actual = input.ancestorOrigins[0];
  if (actual && actual !== candidate) return null;
  return isAllowedEmbedOrigin(candidate, input.selfOrigin, input.allowed) ? candidate : null;
}

export type CommandHandler = (
  command: EmbedCommand,
) => { ok: true } | { ok: false; code: 'not_found' | 'bad_command'; message: string };

export class EmbedBridge {
  readonly #target: Window;
  readonly #origin: string | null;
  #handler: CommandHandler | null = null;

  constructor(target: Window, parentOrigin: string | null) {
    this.#target = target;
    this.#origin = parentOrigin;
    window.addEventListener('message', this.#onMessage);
  }

  get parentOrigin(): string | null {
    return this.#origin;
  }

  setHandler(handler: CommandHandler | null): void {
    this.#handler = handler;
  }

  send(body: EmbedEventBody): void {
    if (!this.#origin) return;
    this.#target.postMessage(embedEvent(body), this.#origin);
  }

  destroy(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#handler = null;
  }

  readonly #onMessage = (event: MessageEvent) => {
    if (!this.#origin || event.source !== this.#target || event.origin !== this.#origin) return;
    const parsed = parseEmbedCommand(event.data);
    if (!parsed.ok) {
      if (!parsed.foreign) {
        this.send({
          type: 'error',
          code: 'bad_command',
          message: parsed.reason.slice(0, 500),
          ...(parsed.id ? { commandId: parsed.id } : {}),
        });
      }
      return;
    }
    const result = this.#handler?.(parsed.value) ?? { ok: true };
    if (!result.ok) {
      const commandId = parsed.value.id;
      this.send({
        type: 'error',
        code: result.code,
        message: result.message,
        ...(commandId ? { commandId } : {}),
      });
    }
  };
}
