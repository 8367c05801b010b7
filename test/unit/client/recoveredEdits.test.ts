// Refused edits kept aside: what is captured from a document, what survives once the server's copy is in, the
// wording per refusal code, and storage across page loads.
import { createCodeFile, parseDocumentName, UPDATE_REFUSAL_CODES } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  describeRefusal,
  RecoveredEditsStore,
  snapshotContent,
} from '../../../client/src/collab/recoveredEdits.ts';

const CODE = (() => {
  const parsed = parseDocumentName('c1/code/main');
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
})();
const REFUSAL = { code: 'document_too_large', reason: 'too big' } as const;

function codeDoc(files: Record<string, string>): Y.Doc {
  const doc = new Y.Doc();
  for (const [name, text] of Object.entries(files))
    createCodeFile(doc, { id: name, name, createdBy: 'ada', content: text });
  return doc;
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
}

describe('recovered edits', () => {
  it("keeps a code document's files as this device had them", () => {
    const doc = codeDoc({ 'a.py': 'print(1)', 'b.py': 'x = 2' });
    expect(snapshotContent(CODE, doc)).toEqual([
      { name: 'a.py', text: 'print(1)' },
      { name: 'b.py', text: 'x = 2' },
    ]);
  });

  it("drops files the server's copy has unchanged, and the entry when nothing is left", () => {
    const store = new RecoveredEditsStore('k', memoryStorage());
    const id = store.add(CODE, codeDoc({ 'a.py': 'mine', 'b.py': 'same' }), REFUSAL, 1000);
    store.keepOnly(id, [
      { name: 'a.py', text: 'theirs' },
      { name: 'b.py', text: 'same' },
    ]);
    expect(store.entries[0]!.files).toEqual([{ name: 'a.py', text: 'mine' }]);
    const other = store.add(CODE, codeDoc({ 'c.py': 'same' }), REFUSAL, 2000);
    store.keepOnly(other, [{ name: 'c.py', text: 'same' }]);
    expect(store.entries.map((e) => e.id)).toEqual([id]);
  });

  it('survives a page load through storage, until dismissed', () => {
    const storage = memoryStorage();
    const id = new RecoveredEditsStore('k', storage).add(CODE, codeDoc({ 'a.py': 'mine' }), REFUSAL);
    const again = new RecoveredEditsStore('k', storage);
    expect(again.entries.map((e) => e.id)).toEqual([id]);
    again.dismiss(id);
    expect(new RecoveredEditsStore('k', storage).entries).toEqual([]);
  });

  it('has a sentence for every refusal code', () => {
    for (const code of UPDATE_REFUSAL_CODES) expect(describeRefusal(code)).toMatch(/\.$/);
  });
});
