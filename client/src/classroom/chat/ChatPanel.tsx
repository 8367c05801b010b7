// The chat of one room: messages read live from the room's chat document, threads, search, unread
// tracking with the server's read marker, following the newest message ("N new messages" when scrolled up),
// "X is typing", and the composer, always in view below the list. Every change goes through the REST API;
// the server decides who may do what.
import type { ChatMessage } from '@tandem/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DocHandle } from '../../collab/DocHandle.ts';
import type { ClassroomApi } from '../api.ts';
import { Composer, type MentionCandidate } from './Composer.tsx';
import { type MessageActions, MessageView } from './MessageView.tsx';
import { formatTyping } from './typing.ts';
import { threadsOf, unreadCount, useChatMessages } from './useChatMessages.ts';
import { useFollowLatest } from './useFollowLatest.ts';
import { useTyping } from './useTyping.ts';

export interface ChatPanelProps {
  api: ClassroomApi;
  handle: DocHandle | null;
  room: string;
  selfId: string;
  staff: boolean;
  /** Why this person cannot write (observer, muted, closed room), or null. */
  readOnlyReason: string | null;
  people: readonly MentionCandidate[];
  visible: boolean;
  onUnread(count: number): void;
}

export function ChatPanel(props: ChatPanelProps) {
  const { api, handle, room, selfId, staff, people, visible, onUnread } = props;
  const messages = useChatMessages(handle?.doc ?? null);
  const typing = useTyping(handle?.awareness ?? null, room, selfId);
  const [readSeq, setReadSeq] = useState<number | null>(null);
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  const [openThread, setOpenThread] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ChatMessage[] | null>(null);
  const listRef = useRef<HTMLOListElement>(null);

  const names = useMemo(() => new Map(people.map((p) => [p.id, p.name])), [people]);
  const nameOf = (id: string) => names.get(id) ?? messages.find((m) => m.authorId === id)?.authorName ?? null;
  const threads = useMemo(() => threadsOf(messages), [messages]);
  const lastSeq = messages.at(-1)?.seq ?? 0;

  useEffect(() => {
    let cancelled = false;
    api.chatStatus(room).then(
      (status) => !cancelled && setReadSeq(status.readSeq),
      () => !cancelled && setReadSeq(0),
    );
    return () => {
      cancelled = true;
    };
  }, [api, room]);

  // Reading happens when the panel is on screen: move the marker (the server keeps the furthest).
  useEffect(() => {
    if (!visible || readSeq === null || lastSeq <= readSeq) return;
    const timer = setTimeout(() => {
      setReadSeq(lastSeq);
      api.markRead(room, lastSeq).catch(() => undefined);
    }, 300);
    return () => clearTimeout(timer);
  }, [visible, readSeq, lastSeq, api, room]);

  const unread = readSeq === null ? 0 : unreadCount(messages, readSeq, selfId);
  useEffect(() => onUnread(unread), [unread, onUnread]);

  const latest = useFollowLatest(listRef, messages, selfId, visible && results === null);

  const actions: MessageActions = {
    reply: (m) => setReplyTo(m),
    edit: async (m, text) => void (await api.editChat(room, m.id, text)),
    remove: async (m) => void (await api.deleteChat(room, m.id)),
    react: async (m, reaction, on) => void (await api.react(room, m.id, reaction, on)),
  };

  const search = async (q: string) => {
    setQuery(q);
    if (!q.trim()) return setResults(null);
    setResults((await api.searchChat(room, q.trim())).messages);
  };

  const view = (m: ChatMessage, replies?: number) => (
    <MessageView
      key={m.id}
      message={m}
      selfId={selfId}
      staff={staff}
      nameOf={nameOf}
      actions={actions}
      replies={replies}
      onShowThread={() => setOpenThread(openThread === m.id ? null : m.id)}
    />
  );

  return (
    <section className="classroom-chat" aria-label="Chat" data-testid="chat-panel">
      <div className="chat-search">
        <input
          type="search"
          placeholder="Search messages"
          value={query}
          onChange={(e) => void search(e.target.value)}
          aria-label="Search messages"
        />
      </div>
      {results && (
        <ol className="chat-list" data-testid="chat-results">
          {results.length === 0 && <li className="muted">No messages match.</li>}
          {results.map((m) => view(m))}
        </ol>
      )}
      {/* Kept mounted while searching, so it keeps its scroll position and its listeners. */}
      <div className="chat-scroll" hidden={results !== null}>
        <ol className="chat-list" ref={listRef} data-testid="chat-list">
          {threads.length === 0 && <li className="muted chat-empty">No messages yet. Say hello!</li>}
          {threads.map(({ root, replies }) => (
            <li key={root.id} className="chat-thread">
              <ol>
                {view(root, replies.length)}
                {openThread === root.id && (
                  <li className="chat-replies">
                    <ol>{replies.map((r) => view(r))}</ol>
                  </li>
                )}
              </ol>
            </li>
          ))}
        </ol>
        {latest.unseen > 0 && (
          <button
            type="button"
            className="small-button primary chat-new"
            onClick={latest.jumpToLatest}
            data-testid="chat-new-messages"
          >
            {latest.unseen} new {latest.unseen === 1 ? 'message' : 'messages'} ↓
          </button>
        )}
      </div>
      <div className="chat-typing" aria-live="polite" data-testid="chat-typing">
        {formatTyping(typing.names)}
      </div>
      <Composer
        disabled={props.readOnlyReason}
        replyingTo={replyTo ? replyTo.authorName : null}
        onCancelReply={() => setReplyTo(null)}
        candidates={people.filter((p) => p.id !== selfId)}
        onTyping={typing.announce}
        onStop={typing.stop}
        send={async (text, clientId) => {
          await api.sendChat(room, text, replyTo?.id ?? null, clientId);
          if (replyTo) setOpenThread(replyTo.replyTo ?? replyTo.id);
          setReplyTo(null);
        }}
      />
    </section>
  );
}
