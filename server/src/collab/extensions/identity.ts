// Awareness identity comes from the token, never from the client: every inbound awareness state gets its
// `user` field overwritten with the connection's verified id, name and role.
import type { beforeHandleAwarenessPayload, Extension } from '@hocuspocus/server';
import type { CollabContext } from '../context.ts';

export class IdentityExtension implements Extension {
  priority = 900;

  async beforeHandleAwareness(data: beforeHandleAwarenessPayload<CollabContext>): Promise<void> {
    const user = data.context?.user;
    const { states } = data;
    if (!user) return;
    for (const [clientId, state] of states) {
      if (!state) continue;
      states.set(clientId, {
        ...state,
        user: { ...asObject(state.user), id: user.id, name: user.name, role: user.role },
      });
    }
  }
}

function asObject(value: unknown): Record<string, unknown> {
  // Clients may add presentation fields (colour) next to the identity; keep only small plain values.
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 8)) {
    if (typeof v === 'string' && v.length <= 64) out[k] = v;
  }
  return out;
}
