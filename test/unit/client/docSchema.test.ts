// The document layout helpers: file names, languages, the default file, and defensive shape reading.
import {
  addShape,
  boardShapesMap,
  checkFileName,
  createCodeFile,
  DEFAULT_FILE,
  deleteCodeFile,
  ensureDefaultCodeFile,
  languageForFileName,
  listCodeFiles,
  nextFreeFileName,
  readShape,
  renameCodeFile,
  updateShapes,
} from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

describe('file names and languages', () => {
  it.each([
    ['main.py', 'python'],
    ['App.TSX', 'typescript'],
    ['index.html', 'html'],
    ['Dockerfile', 'dockerfile'],
    ['notes', 'plaintext'],
    ['.env', 'plaintext'],
    ['trailing.', 'plaintext'],
    ['weird.xyz', 'plaintext'],
  ])('%s is %s', (name, language) => expect(languageForFileName(name)).toBe(language));

  it('refuses empty, path-like, reserved, control-character and duplicate names with a reason', () => {
    expect(checkFileName('  ')).toEqual({ ok: false, reason: expect.stringContaining('name') });
    expect(checkFileName('a/b.py').ok).toBe(false);
    expect(checkFileName('a\\b.py').ok).toBe(false);
    expect(checkFileName('..').ok).toBe(false);
    expect(checkFileName('x\u0007.py').ok).toBe(false);
    expect(checkFileName('x'.repeat(101)).ok).toBe(false);
    expect(checkFileName('Main.py', ['main.py'])).toEqual({
      ok: false,
      reason: expect.stringContaining('already exists'),
    });
    expect(checkFileName(' util.py ', ['main.py'])).toEqual({ ok: true, name: 'util.py' });
  });

  it('numbers a taken name before its extension', () => {
    expect(nextFreeFileName('untitled.py', [])).toBe('untitled.py');
    expect(nextFreeFileName('untitled.py', ['untitled.py', 'untitled 2.py'])).toBe('untitled 3.py');
    expect(nextFreeFileName('Makefile', ['makefile'])).toBe('Makefile 2');
  });
});

describe('code documents', () => {
  it('creates, renames and deletes files by stable id; the list is sorted by name', () => {
    const doc = new Y.Doc();
    createCodeFile(doc, { id: 'b', name: 'b.py', content: 'print(1)', createdBy: 'u1' });
    createCodeFile(doc, { id: 'a', name: 'z.py', createdBy: 'u1' });
    expect(listCodeFiles(doc).map((f) => f.name)).toEqual(['b.py', 'z.py']);
    const text = listCodeFiles(doc)[0]?.text;
    renameCodeFile(doc, 'b', 'c.py');
    const renamed = listCodeFiles(doc).find((f) => f.id === 'b');
    expect(renamed?.name).toBe('c.py');
    expect(renamed?.text).toBe(text); // same Y.Text: content and history survive a rename
    expect(renamed?.text.toString()).toBe('print(1)');
    deleteCodeFile(doc, 'a');
    expect(listCodeFiles(doc).map((f) => f.id)).toEqual(['b']);
  });

  it('gives two racing first visitors one default file, not two', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    ensureDefaultCodeFile(a, 'ada', 'x');
    ensureDefaultCodeFile(b, 'linus', 'y');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(listCodeFiles(a).map((f) => f.id)).toEqual([DEFAULT_FILE.id]);
    expect(listCodeFiles(a)[0]?.text.toString()).toBe(listCodeFiles(b)[0]?.text.toString());
  });

  it('skips malformed entries another client may have written', () => {
    const doc = new Y.Doc();
    const junk = new Y.Map<unknown>();
    junk.set('name', 42);
    doc.getMap('files').set('junk', junk);
    createCodeFile(doc, { id: 'ok', name: 'ok.py', createdBy: 'u' });
    expect(listCodeFiles(doc).map((f) => f.id)).toEqual(['ok']);
  });
});

describe('board documents', () => {
  it('reads shapes defensively: unknown kinds dropped, bad colours and widths clamped', () => {
    const doc = new Y.Doc();
    const entry = new Y.Map<unknown>();
    doc.getMap('shapes').set('evil', entry);
    entry.set('kind', 'rect');
    entry.set('color', 'red;background:url(x)');
    entry.set('width', 1e9);
    entry.set('x', 'NaN');
    expect(readShape('evil', entry)).toMatchObject({ kind: 'rect', color: '#1f2937', width: 64, x: 0 });
    entry.set('kind', 'script');
    expect(readShape('evil', entry)).toBeNull();
  });

  it('appends pen points and patches shapes in one transaction each', () => {
    const doc = new Y.Doc();
    const base = {
      kind: 'pen' as const,
      x: 10,
      y: 20,
      w: 0,
      h: 0,
      color: '#000000',
      width: 2,
      z: 1,
      by: 'u',
      text: '',
    };
    const points = addShape(doc, { id: 's1', ...base, points: [0, 0] });
    points?.push([5, 5, 10, 12]);
    updateShapes(doc, new Map([['s1', { x: 15 }]]));
    const shape = readShape('s1', boardShapesMap(doc).get('s1')!);
    expect(shape).toMatchObject({ x: 15, y: 20, points: [0, 0, 5, 5, 10, 12] });
  });
});
