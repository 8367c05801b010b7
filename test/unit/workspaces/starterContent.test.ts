// Starter content in Yjs documents: reading it from a code document, telling work from an untouched starter,
// and filling a workspace in place (existing entries keep their Y.Text).
import { createCodeFile, getCodeFile, listCodeFiles } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillWorkspace, hasWork, readStarter } from '../../../server/src/workspaces/starterContent.ts';

const docWith = (...files: { id: string; name: string; content: string }[]) => {
  const doc = new Y.Doc();
  for (const f of files) createCodeFile(doc, { ...f, createdBy: 't' });
  return doc;
};

describe('starter content', () => {
  it('reads all files or the chosen ones, refusing unknown ids and empty documents', () => {
    const doc = docWith({ id: 'a', name: 'a.py', content: 'A' }, { id: 'b', name: 'b.py', content: 'B' });
    expect(readStarter(doc)).toEqual([
      { id: 'a', name: 'a.py', content: 'A' },
      { id: 'b', name: 'b.py', content: 'B' },
    ]);
    expect(readStarter(doc, ['b'])).toEqual([{ id: 'b', name: 'b.py', content: 'B' }]);
    expect(() => readStarter(doc, ['zz'])).toThrow(/no file zz/);
    expect(() => readStarter(new Y.Doc())).toThrow(/no files/);
  });

  it('sees work beyond the starter, not an untouched starter or blank files', () => {
    const starter = [{ id: 'a', name: 'a.py', content: 'A' }];
    expect(hasWork(docWith({ id: 'a', name: 'a.py', content: 'A' }), starter)).toBe(false);
    expect(hasWork(docWith({ id: 'a', name: 'a.py', content: 'A!' }), starter)).toBe(true);
    expect(hasWork(docWith({ id: 'x', name: 'x.py', content: '  \n' }), null)).toBe(false);
    expect(hasWork(docWith({ id: 'x', name: 'x.py', content: 'x' }), null)).toBe(true);
  });

  it('fills in place: same ids keep their text object, others are added or removed', () => {
    const doc = docWith(
      { id: 'a', name: 'old.py', content: 'work' },
      { id: 'gone', name: 'g.py', content: '' },
    );
    const text = getCodeFile(doc, 'a')!.text;
    fillWorkspace(
      doc,
      [
        { id: 'a', name: 'a.py', content: 'A' },
        { id: 'b', name: 'b.py', content: 'B' },
      ],
      'ines',
    );
    expect(listCodeFiles(doc).map((f) => [f.id, f.name, f.text.toString()])).toEqual([
      ['a', 'a.py', 'A'],
      ['b', 'b.py', 'B'],
    ]);
    expect(getCodeFile(doc, 'a')!.text).toBe(text);
  });
});
