// Reads the files of workspaces for an export: each workspace's code files as zip paths and bytes, stopping
// (with `too_large`) as soon as they add up to more than the export's byte limit, so a refusal costs at most
// that much memory and comes before any byte of the zip is sent. Also names a class export's folders.
import { listCodeFiles } from '@tandem/shared';
import type { CollabService } from '../collab/CollabService.ts';
import { AppError } from '../errors.ts';

export interface ExportFile {
  path: string;
  bytes: Uint8Array;
  modifiedAt: number;
}

const encoder = new TextEncoder();

/** A file name as a safe zip path segment: no separators, control characters or dot-only names. */
export function safeSegment(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
  const cleaned = name.replace(/[/\\:\u0000-\u001f\u007f]/g, '_').slice(0, 120);
  return /^\.*$/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * One folder per workspace of a class export: the student's name made safe for a zip path, or their user id
 * when the class does not know their name; a name another workspace already took gets the user id after it.
 */
export function workspaceFolders(
  userIds: readonly string[],
  names: Readonly<Record<string, string>>,
): Map<string, string> {
  const folders = new Map<string, string>();
  const taken = new Set<string>();
  for (const userId of userIds) {
    const name = names[userId]?.trim();
    const base = name ? safeSegment(name) : userId;
    let folder = base;
    for (let i = 1; taken.has(folder.toLowerCase()); i++)
      folder = i === 1 ? `${base} (${userId})` : `${base} (${userId} ${i})`;
    taken.add(folder.toLowerCase());
    folders.set(userId, folder);
  }
  return folders;
}

export async function readWorkspaceFiles(
  collab: Pick<CollabService, 'read'>,
  /** Each workspace's document, folder in the zip, and the time its files carry (its last edit). */
  documents: readonly { name: string; folder: string; modifiedAt: number }[],
  maxBytes: number,
): Promise<ExportFile[]> {
  const out: ExportFile[] = [];
  let total = 0;
  for (const { name, folder, modifiedAt } of documents) {
    const files = await collab.read(name, (doc) =>
      listCodeFiles(doc).map((f) => ({ name: f.name, text: f.text.toString() })),
    );
    const taken = new Set<string>();
    for (const file of files) {
      let segment = safeSegment(file.name);
      // Two entries may carry the same name (written concurrently): neither is dropped.
      for (let i = 2; taken.has(segment.toLowerCase()); i++) segment = `${safeSegment(file.name)} (${i})`;
      taken.add(segment.toLowerCase());
      const bytes = encoder.encode(file.text);
      total += bytes.length;
      if (total > maxBytes) {
        throw new AppError(
          'too_large',
          `the export would hold more than ${maxBytes} bytes (EXPORT_MAX_BYTES); export one workspace at a time`,
        );
      }
      out.push({ path: `${folder}/${segment}`, bytes, modifiedAt });
    }
  }
  return out;
}
