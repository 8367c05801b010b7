// Chat text to a small, inert document model: fenced code blocks (```lang), inline `code`, links and
// @mentions; everything else is plain text. Nothing here produces HTML: the view renders these nodes as React
// elements, so markup in a message can only ever show as text. Links keep only http(s) and mailto URLs.
import { MENTION_PATTERN } from '@tandem/shared';

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; text: string }
  | { kind: 'mention'; userId: string };

export type Block = { kind: 'code'; lang: string | null; code: string } | { kind: 'text'; inlines: Inline[] };

const FENCE = /^\s*```\s*([A-Za-z0-9_+#.-]{0,20})\s*$/;
const URL_CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL when it is an absolute http(s) or mailto URL, else null (javascript:, data:, relative, ...). */
export function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

export function parseChat(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let prose: string[] = [];
  const flushProse = () => {
    const joined = prose.join('\n');
    if (joined.trim()) blocks.push({ kind: 'text', inlines: parseInlines(joined.replace(/^\n+|\n+$/g, '')) });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      prose.push(lines[i]!);
      continue;
    }
    flushProse();
    const code: string[] = [];
    // An unclosed fence runs to the end of the message.
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) code.push(lines[i]!);
    blocks.push({ kind: 'code', lang: open[1] ? open[1].toLowerCase() : null, code: code.join('\n') });
  }
  flushProse();
  return blocks;
}

export function parseInlines(text: string): Inline[] {
  const out: Inline[] = [];
  // Inline code first: nothing inside backticks is a link or a mention.
  const parts = text.split(/(`[^`\n]+`)/);
  for (const part of parts) {
    if (part.length > 2 && part.startsWith('`') && part.endsWith('`')) {
      out.push({ kind: 'code', text: part.slice(1, -1) });
    } else if (part) {
      pushLinks(out, part);
    }
  }
  return merge(out);
}

function pushLinks(out: Inline[], text: string): void {
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const raw = match[0].replace(TRAILING_PUNCTUATION, '');
    const start = match.index;
    const href = safeHref(raw);
    if (!href) continue;
    pushMentions(out, text.slice(last, start));
    out.push({ kind: 'link', href, text: raw });
    last = start + raw.length;
  }
  pushMentions(out, text.slice(last));
}

function pushMentions(out: Inline[], text: string): void {
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const at = match.index + match[1]!.length;
    if (at > last) out.push({ kind: 'text', text: text.slice(last, at) });
    out.push({ kind: 'mention', userId: match[2]! });
    last = at + 1 + match[2]!.length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
}

function merge(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const inline of inlines) {
    const previous = out.at(-1);
    if (inline.kind === 'text' && previous?.kind === 'text') previous.text += inline.text;
    else out.push(inline);
  }
  return out;
}
