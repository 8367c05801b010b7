// Starter content in a workspace's Yjs document: reading starter files out of a code document, telling
// whether a workspace holds work beyond its starter, and filling a workspace with starter files (existing
// file entries are edited in place so the student's open editors and cursors stay bound).
import {
  codeFilesMap,
  createCodeFile,
  FILE_FIELDS,
  HANDOUT_MAX_FILE_CHARS,
  listCodeFiles,
  type StarterFile,
} from '@tandem/shared';
import * as Y from 'yjs';
import { AppError } from '../errors.ts';

/** The files of a code document as starter files (all of them, or those with the chosen ids). */
export function readStarter(doc: Y.Doc, fileIds?: readonly string[]): StarterFile[] {
  const files = listCodeFiles(doc).filter((f) => !fileIds || fileIds.includes(f.id));
  if (fileIds) {
    const missing = fileIds.filter((id) => !files.some((f) => f.id === id));
    if (missing.length > 0) throw new AppError('not_found', `no file ${missing[0]} in the class code`);
  }
  if (files.length === 0) throw new AppError('bad_request', 'the class code has no files to hand out');
  return files.map((f) => {
    const content = f.text.toString();
    if (content.length > HANDOUT_MAX_FILE_CHARS)
      throw new AppError('too_large', `${f.name} is over ${HANDOUT_MAX_FILE_CHARS} characters`);
    return { id: f.id, name: f.name, content };
  });
}

/** True when the workspace holds anything but `starter` (or, without one, anything but blank files). */
export function hasWork(doc: Y.Doc, starter: readonly StarterFile[] | null): boolean {
  const files = listCodeFiles(doc);
  if (!starter) return files.some((f) => f.text.toString().trim() !== '');
  const byId = new Map(starter.map((f) => [f.id, f]));
  for (const file of files) {
    const given = byId.get(file.id);
    const content = file.text.toString();
    if (!given) {
      if (content.trim() !== '') return true;
    } else if (given.content !== content || given.name !== file.name) return true;
  }
  return false;
}

/** Makes the workspace's files exactly `starter` (inside the caller's transaction). */
export function fillWorkspace(doc: Y.Doc, starter: readonly StarterFile[], createdBy: string): void {
  const map = codeFilesMap(doc);
  const wanted = new Set(starter.map((f) => f.id));
  for (const id of [...map.keys()]) if (!wanted.has(id)) map.delete(id);
  for (const file of starter) {
    const entry = map.get(file.id);
    const text = entry instanceof Y.Map ? entry.get(FILE_FIELDS.text) : undefined;
    if (entry instanceof Y.Map && text instanceof Y.Text) {
      if (entry.get(FILE_FIELDS.name) !== file.name) entry.set(FILE_FIELDS.name, file.name);
      if (text.toString() !== file.content) {
        text.delete(0, text.length);
        text.insert(0, file.content);
      }
    } else {
      createCodeFile(doc, { id: file.id, name: file.name, content: file.content, createdBy });
    }
  }
}
