// Renders a chat message's text from the inert model in markup.ts: code blocks with highlighting, inline
// code, safe links (new tab, no referrer or opener) and mentions. Only React elements and text: no HTML.
import { Fragment, useMemo } from 'react';
import { highlightCode } from './highlight.ts';
import { type Block, type Inline, parseChat } from './markup.ts';

export interface ChatTextProps {
  text: string;
  /** Display name for a mentioned user id (the id itself when unknown). */
  nameOf(userId: string): string | null;
  selfId: string;
}

export function ChatText({ text, nameOf, selfId }: ChatTextProps) {
  const blocks = useMemo(() => parseChat(text), [text]);
  return (
    <div className="chat-text">
      {blocks.map((block, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: blocks of one message never reorder
        <BlockView key={i} block={block} nameOf={nameOf} selfId={selfId} />
      ))}
    </div>
  );
}

function BlockView({ block, nameOf, selfId }: { block: Block } & Omit<ChatTextProps, 'text'>) {
  switch (block.kind) {
    case 'code':
      return <CodeBlock code={block.code} lang={block.lang} />;
    case 'text':
      return (
        <p>
          {block.inlines.map((inline, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: inlines of one block never reorder
            <InlineView key={i} inline={inline} nameOf={nameOf} selfId={selfId} />
          ))}
        </p>
      );
    default: {
      const unreachable: never = block;
      return unreachable;
    }
  }
}

function InlineView({ inline, nameOf, selfId }: { inline: Inline } & Omit<ChatTextProps, 'text'>) {
  switch (inline.kind) {
    case 'text':
      return <>{inline.text}</>;
    case 'code':
      return <code className="chat-inline-code">{inline.text}</code>;
    case 'link':
      return (
        <a href={inline.href} target="_blank" rel="noopener noreferrer nofollow">
          {inline.text}
        </a>
      );
    case 'mention': {
      const name = nameOf(inline.userId);
      return (
        <span
          className={inline.userId === selfId ? 'chat-mention me' : 'chat-mention'}
          title={`@${inline.userId}`}
        >
          @{name ?? inline.userId}
        </span>
      );
    }
    default: {
      const unreachable: never = inline;
      return unreachable;
    }
  }
}

export function CodeBlock({ code, lang }: { code: string; lang: string | null }) {
  const spans = useMemo(() => highlightCode(code, lang), [code, lang]);
  return (
    <pre className="chat-code" data-lang={lang ?? undefined}>
      <code>
        {spans.map((span, i) =>
          span.classes.length === 0 ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: spans of one block never reorder
            <Fragment key={i}>{span.text}</Fragment>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: spans of one block never reorder
            <span key={i} className={span.classes.join(' ')}>
              {span.text}
            </span>
          ),
        )}
      </code>
    </pre>
  );
}
