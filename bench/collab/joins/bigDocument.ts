// A code document the size of a long class (about 1.4 MB encoded, as in issue #19), built the way a class builds
// one: many clients typing short runs and deleting here and there across one file, so the state holds many
// small items rather than one long string. Deterministic (seeded), so every server in a run gets the same bytes.
import { CODE_FILES_KEY, DEFAULT_FILE, FILE_FIELDS } from '@tandem/shared';
import * as Y from 'yjs';

/** Encoded size the issue measured joins on. */
export const BIG_DOCUMENT_BYTES = 1.4 * 1024 * 1024;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = [
  'def ',
  'return ',
  'print(',
  'x',
  ' = ',
  '1',
  '\n',
  '    ',
  'for i in range(n):',
  'if ',
  ':',
  ')',
];

/** The document's whole state as one update. */
export function buildBigDocument(targetBytes = BIG_DOCUMENT_BYTES): Uint8Array {
  const rnd = random(19);
  const doc = new Y.Doc();
  const file = new Y.Map<unknown>();
  doc.getMap(CODE_FILES_KEY).set(DEFAULT_FILE.id, file);
  file.set(FILE_FIELDS.name, DEFAULT_FILE.name);
  const text = new Y.Text();
  file.set(FILE_FIELDS.text, text);
  // One document whose client id changes every few keystrokes: the items of 40 clients interleave as they do
  // when 40 people type into one file (syncing 40 separate documents builds the same shape, far slower).
  let size = 0;
  for (let round = 0; size < targetBytes; round++) {
    doc.clientID = 1000 + (round % 40);
    for (let k = 0; k < 20; k++) {
      const at = Math.floor(rnd() * (text.length + 1));
      if (rnd() < 0.2 && text.length > 10)
        text.delete(Math.min(at, text.length - 3), 1 + Math.floor(rnd() * 3));
      else text.insert(at, WORDS[Math.floor(rnd() * WORDS.length)]!);
    }
    if (round % 50 === 0) size = Y.encodeStateAsUpdate(doc).byteLength;
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
