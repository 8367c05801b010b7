// The only module that builds and parses document names: `<classId>/<kind>/<key>`.
import { ID_PATTERN } from './ids.ts';

export const DOC_KINDS = ['code', 'ws', 'board', 'chat'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export interface DocumentName {
  classId: string;
  kind: DocKind;
  key: string;
}

export type ParseResult = { ok: true; value: DocumentName } | { ok: false; reason: string };

export function parseDocumentName(name: string): ParseResult {
  if (typeof name !== 'string' || name.length > 200) return { ok: false, reason: 'document name too long' };
  const parts = name.split('/');
  if (parts.length !== 3) {
    return { ok: false, reason: `document name must be <classId>/<kind>/<key>, got "${name.slice(0, 80)}"` };
  }
  const [classId, kind, key] = parts as [string, string, string];
  if (!ID_PATTERN.test(classId)) return { ok: false, reason: 'invalid class id in document name' };
  if (!(DOC_KINDS as readonly string[]).includes(kind)) {
    return {
      ok: false,
      reason: `unknown document kind "${kind.slice(0, 20)}" (expected ${DOC_KINDS.join(', ')})`,
    };
  }
  if (!ID_PATTERN.test(key)) return { ok: false, reason: 'invalid key in document name' };
  return { ok: true, value: { classId, kind: kind as DocKind, key } };
}

export function formatDocumentName(doc: DocumentName): string {
  return `${doc.classId}/${doc.kind}/${doc.key}`;
}
