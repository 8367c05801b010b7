// XSS safety of chat rendering, proven on hostile payloads: the rendered HTML has no element, attribute or
// URL that the payload asked for; markup only ever shows as text.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChatText } from '../../../client/src/classroom/chat/ChatText.tsx';
import { parseChat, safeHref } from '../../../client/src/classroom/chat/markup.ts';

const render = (text: string, nameOf: (id: string) => string | null = () => null) =>
  renderToStaticMarkup(createElement(ChatText, { text, nameOf, selfId: 'me' }));

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '```\n</code><script>alert(1)</script>\n```',
  '```"><script>alert(1)</script>\nx\n```',
  '```python\n</pre><img src=x onerror=alert(1)>\n```',
  '`</code><svg onload=alert(1)>`',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '[click me](javascript:alert(1))',
  '<a href="javascript:alert(1)">x</a>',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'https://example.com/"onmouseover="alert(1)',
  "http://example.com/'onclick='alert(1)",
  'https://evil.example/<script>alert(1)</script>',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body{display:none}</style>',
  '@<img/src/onerror=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
];

/** Every element, attribute and URL in rendered HTML. */
function inspect(html: string) {
  const tags = [...html.matchAll(/<([a-z0-9]+)[\s>]/gi)].map((m) => m[1]!.toLowerCase());
  const attributes = [...html.matchAll(/\s([a-z-]+)=("[^"]*"|'[^']*')/gi)].map((m) => m[1]!.toLowerCase());
  const hrefs = [...html.matchAll(/\shref="([^"]*)"/gi)].map((m) => m[1]!);
  return { tags, attributes, hrefs };
}

/** What a reader sees: the text of the HTML. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&amp;', '&');

const ALLOWED_TAGS = new Set(['div', 'p', 'pre', 'code', 'span', 'a']);
const ALLOWED_ATTRIBUTES = new Set(['class', 'href', 'target', 'rel', 'title', 'data-lang']);

describe('chat rendering with hostile payloads', () => {
  it.each(HOSTILE)('%j renders as inert text', (payload) => {
    const html = render(payload, () => '<b onmouseover=alert(1)>Eve</b>');
    const { tags, attributes, hrefs } = inspect(html);
    expect(
      tags.every((t) => ALLOWED_TAGS.has(t)),
      `tags: ${tags}`,
    ).toBe(true);
    expect(
      attributes.every((a) => ALLOWED_ATTRIBUTES.has(a)),
      `attributes: ${attributes}`,
    ).toBe(true);
    for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/|mailto:)/);
    expect(html).not.toMatch(/<(script|img|svg|iframe|style)/i);
    expect(html).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
  });

  it('keeps the hostile text visible as text', () => {
    const html = render('<img src=x onerror=alert(1)>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const code = render('```\n</code><script>alert(1)</script>\n```');
    expect(textOf(code)).toBe('</code><script>alert(1)</script>');
  });

  it('a link stops at quotes and angle brackets; the rest stays text', () => {
    const html = render('see https://example.com/"onmouseover="alert(1)');
    expect(inspect(html).hrefs).toEqual(['https://example.com/']);
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).toContain('target="_blank"');
  });

  it('code blocks are highlighted with highlight.js classes only', () => {
    const html = render('```python\ndef f(x):\n    return "<b>" + x  # comment\n```');
    expect(html).toContain('class="hljs-keyword"');
    expect(html).toContain('&lt;b&gt;');
    for (const cls of html.matchAll(/class="([^"]*)"/g)) {
      for (const name of cls[1]!.split(' ')) expect(name).toMatch(/^(hljs-[a-z_-]+|chat-[a-z-]+|me)$/);
    }
  });

  it('mentions show the person’s name as text', () => {
    const html = render('hi @ana', (id) => (id === 'ana' ? 'Ana <3' : null));
    expect(html).toContain('@Ana &lt;3');
  });
});

describe('safeHref', () => {
  it.each([
    ['https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
    ['http://example.com', 'http://example.com/'],
    ['mailto:ana@example.com', 'mailto:ana@example.com'],
    ['javascript:alert(1)', null],
    ['JAVASCRIPT:alert(1)', null],
    [' javascript:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['data:text/html,x', null],
    ['/relative', null],
    ['//evil.example', null],
    ['file:///etc/passwd', null],
  ])('%j -> %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('parseChat', () => {
  it('splits prose, fenced code (with language) and inline code; an unclosed fence runs to the end', () => {
    expect(parseChat('look:\n```js\nlet a = `x`\n```\nand `b` @li\n```\nopen')).toEqual([
      { kind: 'text', inlines: [{ kind: 'text', text: 'look:' }] },
      { kind: 'code', lang: 'js', code: 'let a = `x`' },
      {
        kind: 'text',
        inlines: [
          { kind: 'text', text: 'and ' },
          { kind: 'code', text: 'b' },
          { kind: 'text', text: ' ' },
          { kind: 'mention', userId: 'li' },
        ],
      },
      { kind: 'code', lang: null, code: 'open' },
    ]);
  });

  it('finds links with trailing punctuation left outside, and no mentions inside code or links', () => {
    expect(parseChat('docs (https://example.com/x). `@no` https://a.example/@no')[0]).toEqual({
      kind: 'text',
      inlines: [
        { kind: 'text', text: 'docs (' },
        { kind: 'link', href: 'https://example.com/x', text: 'https://example.com/x' },
        { kind: 'text', text: '). ' },
        { kind: 'code', text: '@no' },
        { kind: 'text', text: ' ' },
        { kind: 'link', href: 'https://a.example/@no', text: 'https://a.example/@no' },
      ],
    });
  });
});
