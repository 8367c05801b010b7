// A call is joined only on its class's owner in a cluster: the admission refuses elsewhere, before the
// classroom's own rules run.
import { describe, expect, it } from 'vitest';
import type { ClusterNode } from '../../../server/src/cluster/ClusterNode.ts';
import { ownerOnlyAdmission } from '../../../server/src/cluster/wiring.ts';
import { AppError } from '../../../server/src/errors.ts';

const user = { id: 'u1', name: 'Ana', role: 'student', classId: 'c1' } as const;
const nodeServing = (owned: string[]) =>
  ({ serves: async (classId: string) => owned.includes(classId) }) as unknown as ClusterNode;

describe('ownerOnlyAdmission', () => {
  it('passes joins of classes this node serves on to the classroom’s rules', async () => {
    const asked: string[] = [];
    const admission = ownerOnlyAdmission(nodeServing(['c1']), {
      admit: async (u) => void asked.push(u.id),
    });
    await admission.admit(user, { kind: 'main' });
    expect(asked).toEqual(['u1']);
  });

  it('refuses joins of a class served elsewhere with unavailable (4503), without asking further', async () => {
    const asked: string[] = [];
    const admission = ownerOnlyAdmission(nodeServing([]), { admit: async (u) => void asked.push(u.id) });
    const refusal = await admission.admit(user, { kind: 'main' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).code).toBe('unavailable');
    expect((refusal as AppError).closeCode).toBe(4503);
    expect(asked).toEqual([]);
  });
});
