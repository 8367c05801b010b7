// Thins out Hocuspocus's per-update document callback for client updates.
//
// For every Yjs update Hocuspocus builds two payloads, runs the `onChange` hook chain and re-arms the
// `onStoreDocument` debounce (a string key, a closure, an async call, clearTimeout and setTimeout). No Tandem
// extension has `onChange`, and `onStoreDocument` only checks whether a snapshot is due (every update is
// already in the update log), so re-arming the debounce once per `intervalMs` does the same work: the store a
// skipped update would have armed is armed by the one before it, and fires at least `debounce - intervalMs`
// after the skipped update, reading the document as it is then. Updates from anything but a client connection
// (server-side edits, restores) always go through.
import type { afterLoadDocumentPayload, Document, Extension } from '@hocuspocus/server';
import { runsHook } from './extensionHooks.ts';
import { documentUpdateCallback } from './libraryInternals.ts';

type UpdateCallback = Document['callbacks']['onUpdate'];

export class UpdateCallbackThrottle implements Extension {
  /** `intervalMs` must not exceed the store debounce; 0 turns the throttle off. */
  constructor(private readonly intervalMs: number) {}

  async afterLoadDocument({ document, instance }: afterLoadDocumentPayload): Promise<void> {
    // Hocuspocus sets the document's callback before this hook runs.
    if (this.intervalMs <= 0 || runsHook(instance, ['onChange'])) return;
    document.onUpdate(throttleClientUpdates(documentUpdateCallback(document), this.intervalMs));
  }
}

/** `forward` for every update except client updates less than `intervalMs` after the last one forwarded. */
export function throttleClientUpdates(
  forward: UpdateCallback,
  intervalMs: number,
  now: () => number = Date.now,
): UpdateCallback {
  let last = Number.NEGATIVE_INFINITY;
  return (document, origin, update) => {
    if (isClientOrigin(origin)) {
      const at = now();
      if (at - last < intervalMs) {
        // What Hocuspocus's callback would have recorded.
        document.lastChangeTime = at;
        return;
      }
      last = at;
    }
    forward(document, origin, update);
  };
}

function isClientOrigin(origin: unknown): boolean {
  return (
    typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'connection'
  );
}
