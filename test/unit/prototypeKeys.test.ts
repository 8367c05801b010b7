// User-chosen names used as keys (file extensions, Yjs root names, user ids in name records) never resolve to
// Object.prototype members.
import { keyedRecord, languageForFileName, ownValue } from '@tandem/shared';
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

  it('ownValue reads only own keys of a record parsed from JSON', () => {
    const names = JSON.parse('{"__proto__":"Proto","ana":"Ana"}') as Record<string, string>;
    expect(ownValue(names, '__proto__')).toBe('Proto');
    expect(ownValue(names, 'ana')).toBe('Ana');
    expect(ownValue(names, 'constructor')).toBeUndefined();
    expect(ownValue(names, 'toString')).toBeUndefined();
  });

  it('keyedRecord stores __proto__ as a value and inherits nothing', () => {
    const names = keyedRecord<string>();
    const key: string = '__proto__';
    names[key] = 'Proto';
    expect(Object.keys(names)).toEqual(['__proto__']);
    expect(names.constructor).toBeUndefined();
    expect(JSON.parse(JSON.stringify(names))).toEqual(JSON.parse('{"__proto__":"Proto"}'));
  });
});
