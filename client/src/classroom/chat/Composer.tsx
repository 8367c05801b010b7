// The message box: Enter sends, Shift+Enter starts a new line; typing "@" suggests people (inserting their id);
// the server's refusal (rate limit, slow mode, mute) is shown under the box.
import { CHAT_MAX_CHARS, chatLength } from '@tandem/shared';
import { type KeyboardEvent, useRef, useState } from 'react';

export interface MentionCandidate {
  id: string;
  name: string;
}

export interface ComposerProps {
  disabled: string | null;
  replyingTo: string | null;
  onCancelReply(): void;
  candidates: readonly MentionCandidate[];
  onTyping(): void;
  onStop(): void;
  /** `clientId` stays the same while the same text is sent again (a retry after an error). */
  send(text: string, clientId: string): Promise<void>;
}

/** The "@partial" word just before the caret, if any. */
export function mentionQuery(text: string, caret: number): string | null {
  const match = /(?:^|\s)@([A-Za-z0-9_-]{0,64})$/.exec(text.slice(0, caret));
  return match ? match[1]! : null;
}

/** 16 random bytes, base64url: the message's id for repeats (crypto.getRandomValues works on plain http too). */
function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function Composer({
  disabled,
  replyingTo,
  onCancelReply,
  candidates,
  onTyping,
  onStop,
  send,
}: ComposerProps) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef<{ text: string; clientId: string } | null>(null);
  const query = mentionQuery(text, caret);
  const suggestions =
    query === null
      ? []
      : candidates
          .filter(
            (c) =>
              c.id.toLowerCase().startsWith(query.toLowerCase()) ||
              c.name.toLowerCase().includes(query.toLowerCase()),
          )
          .slice(0, 5);
  const length = chatLength(text);

  const submit = async () => {
    if (!text.trim() || busy || length > CHAT_MAX_CHARS) return;
    setBusy(true);
    const sent = text;
    // The same text sent again after an error keeps its id: if the first attempt did arrive, it is not posted twice.
    if (attempt.current?.text !== sent) attempt.current = { text: sent, clientId: newClientId() };
    try {
      await send(sent, attempt.current.clientId);
      attempt.current = null;
      // Keep anything typed while the message was on its way.
      setText((current) => (current === sent ? '' : current));
      setError(null);
      onStop();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const insertMention = (id: string) => {
    const before = text.slice(0, caret).replace(/@[A-Za-z0-9_-]*$/, `@${id} `);
    setText(before + text.slice(caret));
    setCaret(before.length);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Tab, or Enter on a partial name, completes a mention; Enter otherwise sends.
    const completing = suggestions[0] && query !== null && !suggestions.some((s) => s.id === query);
    if ((e.key === 'Tab' && suggestions[0]) || (e.key === 'Enter' && !e.shiftKey && completing)) {
      e.preventDefault();
      insertMention(suggestions[0]!.id);
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <div className="chat-composer">
      {replyingTo && (
        <div className="chat-replying">
          Replying to {replyingTo}
          <button type="button" className="link-button" onClick={onCancelReply}>
            Cancel
          </button>
        </div>
      )}
      {suggestions.length > 0 && (
        <ul className="chat-suggestions">
          {suggestions.map((s) => (
            <li key={s.id}>
              <button type="button" onClick={() => insertMention(s.id)}>
                {s.name} <span className="muted">@{s.id}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="chat-input-row">
        <textarea
          value={text}
          placeholder={disabled ?? 'Write a message'}
          title={disabled ? undefined : 'Enter sends; Shift+Enter starts a new line'}
          disabled={disabled !== null}
          aria-label="Chat message"
          data-testid="chat-input"
          rows={2}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
            if (e.target.value) onTyping();
            else onStop();
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          onBlur={onStop}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className="button primary"
          disabled={busy || disabled !== null || !text.trim() || length > CHAT_MAX_CHARS}
          onClick={() => void submit()}
          data-testid="chat-send"
        >
          Send
        </button>
      </div>
      {(error || length > CHAT_MAX_CHARS * 0.9) && (
        <div className="chat-composer-footer">
          {error && (
            <span className="form-error" role="alert">
              {error}
            </span>
          )}
          {length > CHAT_MAX_CHARS * 0.9 && (
            <span className={length > CHAT_MAX_CHARS ? 'chat-count over' : 'chat-count'}>
              {length}/{CHAT_MAX_CHARS}
            </span>
          )}
        </div>
      )}
    </div>
  );
}
