// The open-file watch of a staff connection: a file is told once it has stayed open FILE_DWELL_MS (checked when
// the next state arrives or the connection ends), once, with when it was opened; a burst keeps its last file;
// only staff connections of code documents are watched.
import type { Connection } from '@hocuspocus/server';
import { describe, expect, it } from 'vitest';
import type { CollabContext } from '../../../../server/src/collab/context.ts';
import { FILE_DWELL_MS, OpenFileWatch } from '../../../../server/src/collab/presence/openFiles.ts';

const T = 1_000_000;

describe('OpenFileWatch', () => {
  it('tells a file that stayed open, once, at the time it was opened', () => {
    const watch = new OpenFileWatch();
    expect(watch.observe({ file: 'a' }, T)).toBeNull();
    expect(watch.observe({ file: 'a', selection: 1 }, T + FILE_DWELL_MS - 1)).toBeNull();
    expect(watch.observe({ file: 'a', selection: 2 }, T + FILE_DWELL_MS)).toEqual({ fileId: 'a', at: T });
    expect(watch.observe({ file: 'a', selection: 3 }, T + 10 * FILE_DWELL_MS)).toBeNull();
  });

  it('keeps the last file of a burst, told by the next switch or the end', () => {
    const watch = new OpenFileWatch();
    watch.observe({ file: 'a' }, T);
    watch.observe({ file: 'b' }, T + 100);
    expect(watch.observe({ file: 'c' }, T + 200)).toBeNull();
    expect(watch.observe({ file: 'd' }, T + 200 + FILE_DWELL_MS)).toEqual({ fileId: 'c', at: T + 200 });
    // The connection ends (or its presence is removed): a file open long enough is told, a shorter one is not.
    expect(watch.observe(null, T + 200 + 2 * FILE_DWELL_MS)).toEqual({
      fileId: 'd',
      at: T + 200 + FILE_DWELL_MS,
    });
    const brief = new OpenFileWatch();
    brief.observe({ file: 'a' }, T);
    expect(brief.observe(null, T + FILE_DWELL_MS - 1)).toBeNull();
  });

  it('ignores states without a usable file id', () => {
    const watch = new OpenFileWatch();
    for (const file of [null, 7, '', 'x'.repeat(101), { id: 'a' }]) watch.observe({ file }, T);
    expect(watch.observe({ file: 'a' }, T + FILE_DWELL_MS)).toBeNull();
    expect(watch.observe({}, T + 2 * FILE_DWELL_MS)).toEqual({ fileId: 'a', at: T + FILE_DWELL_MS });
  });

  it('watches staff connections of code documents only', () => {
    const connection = (role: string, kind: string) =>
      ({
        context: {
          user: { id: 'u', name: 'U', role, classId: 'c' },
          doc: { classId: 'c', kind, key: 'main' },
        },
      }) as unknown as Connection<CollabContext>;
    expect(OpenFileWatch.for(connection('instructor', 'code'))).toBeInstanceOf(OpenFileWatch);
    expect(OpenFileWatch.for(connection('assistant', 'code'))).toBeInstanceOf(OpenFileWatch);
    expect(OpenFileWatch.for(connection('student', 'code'))).toBeUndefined();
    expect(OpenFileWatch.for(connection('observer', 'code'))).toBeUndefined();
    expect(OpenFileWatch.for(connection('instructor', 'ws'))).toBeUndefined();
    expect(OpenFileWatch.for(connection('instructor', 'board'))).toBeUndefined();
  });
});
