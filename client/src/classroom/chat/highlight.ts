// Syntax highlighting for code blocks in chat: lowlight (highlight.js grammars) gives a tree of spans with
// class names and text, never an HTML string; the view turns it into React elements.
import type { Element, ElementContent, Root } from 'hast';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import { createLowlight } from 'lowlight';

const lowlight = createLowlight({
  bash,
  c,
  cpp,
  csharp,
  css,
  go,
  java,
  javascript,
  json,
  kotlin,
  python,
  ruby,
  rust,
  sql,
  typescript,
  xml,
});
lowlight.registerAlias({
  bash: ['sh', 'shell'],
  javascript: ['js', 'jsx'],
  python: ['py'],
  typescript: ['ts', 'tsx'],
  xml: ['html'],
  csharp: ['cs'],
});

/** One piece of highlighted code: text with the highlight.js classes that apply to it. */
export interface CodeSpan {
  text: string;
  classes: readonly string[];
}

/** Longer code is shown plain: highlighting is for reading snippets, not for freezing the page. */
const MAX_HIGHLIGHT_CHARS = 20_000;
/** Guessing the language tries every grammar: only for short snippets. */
const MAX_AUTO_DETECT_CHARS = 2_000;

export function highlightCode(code: string, lang: string | null): CodeSpan[] {
  if (code.length > MAX_HIGHLIGHT_CHARS) return [{ text: code, classes: [] }];
  let tree: Root;
  try {
    if (lang && lowlight.registered(lang)) tree = lowlight.highlight(lang, code);
    else if (code.length <= MAX_AUTO_DETECT_CHARS) tree = lowlight.highlightAuto(code);
    else return [{ text: code, classes: [] }];
  } catch {
    return [{ text: code, classes: [] }];
  }
  const spans: CodeSpan[] = [];
  const walk = (nodes: readonly ElementContent[], classes: readonly string[]) => {
    for (const node of nodes) {
      if (node.type === 'text') spans.push({ text: node.value, classes });
      else if (node.type === 'element') walk(node.children, [...classes, ...classNames(node)]);
    }
  };
  walk(tree.children as ElementContent[], []);
  return spans;
}

function classNames(node: Element): string[] {
  const value: unknown = node.properties?.className;
  const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  // Only highlight.js's own classes reach the DOM.
  return list.filter((c): c is string => typeof c === 'string' && /^hljs-[a-z_-]+$/.test(c));
}
