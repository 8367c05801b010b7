// User-chosen names used as keys (file extensions, Yjs root names) never resolve to Object.prototype members.
import { languageForFileName } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { docToJson } from '../../server/src/collab/docContent.ts';

describe('prototype-safe keys', () => {
  it.each(['x.constructor', 'x.toString', 'x.__proto__', 'x.hasOwnProperty'])('%s is plaintext', (name) => {
    expect(languageForFileName(name)).toBe('plaintext');
  });

  it('docToJson keeps a root named __proto__ as an ordinary key', () => {
    const doc = new Y.Doc();
    doc.getText('__proto__').insert(0, 'a');
    doc.getText('constructor').insert(0, 'b');
    const json = docToJson(Y.encodeStateAsUpdate(doc));
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(json, '__proto__')?.value).toBe('a');
    expect(json.constructor).toBe('b');
    expect(JSON.parse(JSON.stringify(json))).toEqual({ ['__proto__']: 'a', constructor: 'b' });
  });
});
