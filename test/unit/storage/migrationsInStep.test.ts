// Both engines' migrations are versioned together: version N means the same schema on SQLite and PostgreSQL.
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../server/src/storage/migrations.ts';
import { PG_MIGRATIONS } from '../../../server/src/storage/pg/migrations.ts';

describe('migrations of both engines', () => {
  it('have the same versions, in order, with the same descriptions', () => {
    const list = (ms: { version: number; description: string }[]) =>
      ms.map((m) => [m.version, m.description]);
    expect(list(PG_MIGRATIONS)).toEqual(list(MIGRATIONS));
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
