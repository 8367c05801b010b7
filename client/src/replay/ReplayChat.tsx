// The chat as it stood at the replay's time, read-only: each message as it read then (edits up to then), a
// deleted message as its tombstone (moderation holds in replay, even when it came later). Text is rendered as
// React text by the chat's own ChatText. A message's time is a button: the replay jumps to when it was posted.
import type { ChatMessage } from '@tandem/shared';
import { useEffect, useRef } from 'react';
import { ChatText } from '../classroom/chat/ChatText.tsx';

const time = (ts: number) =>
  new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function ReplayChat({
  messages,
  postedAt,
  nameOf,
  onJump,
}: {
  messages: readonly ChatMessage[];
  postedAt: ReadonlyMap<string, number>;
  nameOf(userId: string): string | null;
  onJump(t: number): void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const count = messages.length;
  // Follows the newest message as the replay goes on.
  useEffect(() => {
    void count;
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [count]);
  return (
    <section className="replay-chat" aria-label="Chat" data-testid="replay-chat" data-count={count}>
      <h2>Chat</h2>
      {count === 0 && <p className="muted">No messages yet at this moment.</p>}
      <ol ref={listRef} className="replay-chat-list">
        {messages.map((m) => {
          const at = postedAt.get(m.id) ?? m.ts;
          return (
            <li
              key={m.id}
              data-message-id={m.id}
              className={m.deleted ? 'chat-message deleted' : 'chat-message'}
            >
              <div className="chat-meta">
                <span className="chat-author">{m.authorName}</span>
                {m.authorRole !== 'student' && (
                  <span className={`role role-${m.authorRole}`}>{m.authorRole}</span>
                )}
                <button
                  type="button"
                  className="link-button replay-chat-jump"
                  onClick={() => onJump(at)}
                  title="Jump to this message"
                >
                  {time(at)}
                </button>
                {m.editedAt !== null && !m.deleted && <span className="chat-edited">(edited)</span>}
              </div>
              {m.deleted ? (
                <span className="chat-tombstone" data-testid="replay-tombstone">
                  Message deleted
                  {m.deleted.byId !== m.authorId ? ` by ${m.deleted.byName}` : ''}
                </span>
              ) : (
                <ChatText text={m.text} nameOf={nameOf} selfId="" />
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
