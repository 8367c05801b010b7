// The Hocuspocus side of a cluster: a document is opened only on the node that owns its class (acquiring the
// lease when nobody holds it). A refused document closes its socket with 4503 at once, so the provider
// reconnects and the front door sends it to the owner. Runs before authentication (priority above the auth extension's).
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { parseDocumentName } from '@tandem/shared';
import type { CollabContext } from '../collab/context.ts';
import { AppError } from '../errors.ts';

export class ClusterGate implements Extension {
  priority = 1100;

  constructor(private readonly serves: (classId: string) => Promise<boolean>) {}

  async onAuthenticate({ documentName, context }: onAuthenticatePayload<CollabContext>): Promise<void> {
    const parsed = parseDocumentName(documentName);
    // A bad name is the auth extension's to refuse, with its reason.
    if (!parsed.ok) return;
    let serves = false;
    try {
      serves = await this.serves(parsed.value.classId);
    } catch {
      serves = false;
    }
    if (serves) return;
    const error = new AppError('unavailable', 'this class is served by another node; reconnecting');
    // Closed now, before Hocuspocus can send the refusal: the client sees a close to reconnect after (4503),
    // not a denied document, which it would take as a refused token and stop.
    context.socket?.ws.close(error.closeCode, error.closeReason);
    throw { reason: `${error.closeCode} ${error.message}` };
  }
}
