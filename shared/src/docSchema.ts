// The layout of Tandem's Yjs documents: which shared types a `code` and a `board` document hold, how entries
// are shaped, and small typed helpers to read and write them. Server and client use only these helpers, so the
// layout lives in one place.
import * as Y from 'yjs';

// ---------------------------------------------------------------------------------------------- code documents

/** A `code` document holds `files`: a Y.Map from a stable file id to a Y.Map entry (rename keeps the id). */
export const CODE_FILES_KEY = 'files';
/** Fields of one file entry. `text` is a Y.Text with the content; the others are plain values. */
export const FILE_FIELDS = {
  name: 'name',
  text: 'text',
  createdBy: 'createdBy',
  createdAt: 'createdAt',
} as const;
/** The file every empty code document gets, under a fixed id so two first visitors cannot create two. */
export const DEFAULT_FILE = { id: 'main', name: 'main.py' } as const;
export const MAX_FILE_NAME_LENGTH = 100;

export interface CodeFile {
  id: string;
  name: string;
  text: Y.Text;
}

const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  py: 'python',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  json: 'json',
  html: 'html',
  htm: 'html',
  css: 'css',
  scss: 'scss',
  md: 'markdown',
  java: 'java',
  kt: 'kotlin',
  c: 'c',
  h: 'c',
  cpp: 'cpp',
  cc: 'cpp',
  hpp: 'cpp',
  cs: 'csharp',
  go: 'go',
  rs: 'rust',
  rb: 'ruby',
  php: 'php',
  sh: 'shell',
  bash: 'shell',
  sql: 'sql',
  yml: 'yaml',
  yaml: 'yaml',
  xml: 'xml',
  svg: 'xml',
  swift: 'swift',
  r: 'r',
  lua: 'lua',
};

/** Monaco language id for a file name, from its extension; `plaintext` when unknown. */
export function languageForFileName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === 'dockerfile') return 'dockerfile';
  const dot = lower.lastIndexOf('.');
  if (dot <= 0 || dot === lower.length - 1) return 'plaintext';
  // Own keys only: a file named `x.constructor` must not pick up Object.prototype's members.
  const extension = lower.slice(dot + 1);
  return Object.hasOwn(LANGUAGE_BY_EXTENSION, extension) ? LANGUAGE_BY_EXTENSION[extension]! : 'plaintext';
}

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

/** Checks a file name typed by a person; `taken` holds the names of the other files (case-insensitive). */
export function checkFileName(raw: string, taken: Iterable<string> = []): NameCheck {
  const name = raw.trim();
  if (name.length === 0) return { ok: false, reason: 'Give the file a name.' };
  if (name.length > MAX_FILE_NAME_LENGTH) {
    return { ok: false, reason: `File names are at most ${MAX_FILE_NAME_LENGTH} characters.` };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[/\\\u0000-\u001f\u007f]/.test(name))
    return { ok: false, reason: 'File names cannot contain / or \\.' };
  if (name === '.' || name === '..') return { ok: false, reason: 'That name is reserved.' };
  const lower = name.toLowerCase();
  for (const other of taken) {
    if (other.toLowerCase() === lower) return { ok: false, reason: `A file named "${name}" already exists.` };
  }
  return { ok: true, name };
}

/** `base`, or `base` with a number before the extension (`main 2.py`), whichever is not taken yet. */
export function nextFreeFileName(base: string, taken: Iterable<string>): string {
  const lowerTaken = new Set([...taken].map((n) => n.toLowerCase()));
  if (!lowerTaken.has(base.toLowerCase())) return base;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? base.slice(dot) : '';
  for (let i = 2; ; i++) {
    const candidate = `${stem} ${i}${ext}`;
    if (!lowerTaken.has(candidate.toLowerCase())) return candidate;
  }
}

export function codeFilesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(CODE_FILES_KEY);
}

function readFile(id: string, entry: Y.Map<unknown>): CodeFile | null {
  const name = entry.get(FILE_FIELDS.name);
  const text = entry.get(FILE_FIELDS.text);
  if (typeof name !== 'string' || !(text instanceof Y.Text)) return null;
  return { id, name, text };
}

/** The well-formed files of a code document, sorted by name (entries of another shape are skipped). */
export function listCodeFiles(doc: Y.Doc): CodeFile[] {
  const files: CodeFile[] = [];
  for (const [id, entry] of codeFilesMap(doc)) {
    if (!(entry instanceof Y.Map)) continue;
    const file = readFile(id, entry);
    if (file) files.push(file);
  }
  return files.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function getCodeFile(doc: Y.Doc, id: string): CodeFile | null {
  const entry = codeFilesMap(doc).get(id);
  return entry instanceof Y.Map ? readFile(id, entry) : null;
}

export function createCodeFile(
  doc: Y.Doc,
  file: { id: string; name: string; content?: string; createdBy: string },
  origin?: unknown,
): void {
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    const text = new Y.Text(file.content ?? '');
    entry.set(FILE_FIELDS.name, file.name);
    entry.set(FILE_FIELDS.text, text);
    entry.set(FILE_FIELDS.createdBy, file.createdBy);
    entry.set(FILE_FIELDS.createdAt, Date.now());
    codeFilesMap(doc).set(file.id, entry);
  }, origin);
}

export function renameCodeFile(doc: Y.Doc, id: string, name: string, origin?: unknown): void {
  const entry = codeFilesMap(doc).get(id);
  if (entry instanceof Y.Map) doc.transact(() => entry.set(FILE_FIELDS.name, name), origin);
}

export function deleteCodeFile(doc: Y.Doc, id: string, origin?: unknown): void {
  doc.transact(() => codeFilesMap(doc).delete(id), origin);
}

/** Gives an empty code document its default file; a no-op when any file exists. */
export function ensureDefaultCodeFile(doc: Y.Doc, createdBy: string, content = ''): void {
  if (codeFilesMap(doc).size > 0) return;
  createCodeFile(doc, { ...DEFAULT_FILE, content, createdBy });
}

// --------------------------------------------------------------------------------------------- board documents

/** A `board` document holds `shapes`: a Y.Map from shape id to a Y.Map of the fields below. */
export const BOARD_SHAPES_KEY = 'shapes';
export const SHAPE_KINDS = ['pen', 'rect', 'ellipse', 'line', 'arrow', 'text', 'sticky'] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

/**
 * Every shape has an origin (`x`, `y`) so that moving it sets two fields. Boxes (rect, ellipse, text, sticky)
 * span `w` x `h` from the origin; line and arrow end at origin + (`w`, `h`), either sign; pen strokes keep their
 * points in `points`, a Y.Array of numbers `[dx0, dy0, dx1, dy1, ...]` relative to the origin, appended to while
 * the stroke is drawn so others see it grow. `z` orders shapes (ties broken by id). Colours are `#rrggbb`.
 */
export interface Shape {
  id: string;
  kind: ShapeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  color: string;
  width: number;
  z: number;
  by: string;
  text: string;
  points: readonly number[];
}

export const COLOR_PATTERN = /^#[0-9a-f]{6}$/i;
export const MAX_SHAPE_TEXT_LENGTH = 2000;

export function boardShapesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(BOARD_SHAPES_KEY);
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Reads one shape entry defensively: another client may have written anything. Null when unusable. */
export function readShape(id: string, entry: Y.Map<unknown>): Shape | null {
  const kind = entry.get('kind');
  if (typeof kind !== 'string' || !(SHAPE_KINDS as readonly string[]).includes(kind)) return null;
  const color = entry.get('color');
  const text = entry.get('text');
  const points = entry.get('points');
  return {
    id,
    kind: kind as ShapeKind,
    x: num(entry.get('x')),
    y: num(entry.get('y')),
    w: num(entry.get('w')),
    h: num(entry.get('h')),
    color: typeof color === 'string' && COLOR_PATTERN.test(color) ? color : '#1f2937',
    width: Math.min(Math.max(num(entry.get('width'), 2), 0.5), 64),
    z: num(entry.get('z')),
    by: typeof entry.get('by') === 'string' ? (entry.get('by') as string) : '',
    text: typeof text === 'string' ? text.slice(0, MAX_SHAPE_TEXT_LENGTH) : '',
    points:
      points instanceof Y.Array ? (points.toArray().filter((p) => typeof p === 'number') as number[]) : [],
  };
}

export type NewShape = Omit<Shape, 'id' | 'points'> & { id: string; points?: readonly number[] };

/** Adds a shape; returns the points array for pen strokes (to append to while drawing). */
export function addShape(doc: Y.Doc, shape: NewShape, origin?: unknown): Y.Array<number> | null {
  let points: Y.Array<number> | null = null;
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    for (const key of ['kind', 'x', 'y', 'w', 'h', 'color', 'width', 'z', 'by'] as const)
      entry.set(key, shape[key]);
    if (shape.kind === 'text' || shape.kind === 'sticky') entry.set('text', shape.text);
    if (shape.kind === 'pen') {
      points = new Y.Array<number>();
      points.push([...(shape.points ?? [])]);
      entry.set('points', points);
    }
    boardShapesMap(doc).set(shape.id, entry);
  }, origin);
  return points;
}

export type ShapePatch = Partial<Pick<Shape, 'x' | 'y' | 'w' | 'h' | 'color' | 'width' | 'z' | 'text'>>;

export function updateShapes(doc: Y.Doc, patches: ReadonlyMap<string, ShapePatch>, origin?: unknown): void {
  const shapes = boardShapesMap(doc);
  doc.transact(() => {
    for (const [id, patch] of patches) {
      const entry = shapes.get(id);
      if (!(entry instanceof Y.Map)) continue;
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) entry.set(key, value);
    }
  }, origin);
}

export function deleteShapes(doc: Y.Doc, ids: Iterable<string>, origin?: unknown): void {
  const shapes = boardShapesMap(doc);
  doc.transact(() => {
    for (const id of ids) shapes.delete(id);
  }, origin);
}
