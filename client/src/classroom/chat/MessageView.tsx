// One chat message: author, time, text (or the tombstone that replaced it), reactions, and the actions the
// person may take on it (reply, react, edit their own, delete their own or, for staff, anyone's; deleting
// asks first, in place, since it cannot be undone).
import { CHAT_MAX_CHARS, type ChatMessage } from '@tandem/shared';
import { useState } from 'react';
import { ChatText } from './ChatText.tsx';

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '❓'] as const;

export interface MessageActions {
  reply?(message: ChatMessage): void;
  edit(message: ChatMessage, text: string): Promise<void>;
  remove(message: ChatMessage): Promise<void>;
  react(message: ChatMessage, reaction: string, on: boolean): Promise<void>;
}

export interface MessageViewProps {
  message: ChatMessage;
  selfId: string;
  staff: boolean;
  nameOf(userId: string): string | null;
  actions: MessageActions;
  replies?: number;
  onShowThread?(): void;
}

const time = (ts: number) => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function MessageView({
  message,
  selfId,
  staff,
  nameOf,
  actions,
  replies,
  onShowThread,
}: MessageViewProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const own = message.authorId === selfId;
  const mentioned = message.mentions.includes(selfId);

  if (message.deleted) {
    return (
      <li className="chat-message deleted" data-message-id={message.id}>
        <span className="chat-tombstone">
          Message from {message.authorName} deleted
          {message.deleted.byId !== message.authorId ? ` by ${message.deleted.byName}` : ''} at{' '}
          {time(message.deleted.at)}
        </span>
      </li>
    );
  }

  const saveEdit = async () => {
    if (editing === null) return;
    await actions.edit(message, editing);
    setEditing(null);
  };

  return (
    <li
      className={`chat-message${own ? ' own' : ''}${mentioned ? ' mentioned' : ''}`}
      data-message-id={message.id}
    >
      <div className="chat-meta">
        <span className="chat-author">{message.authorName}</span>
        {message.authorRole !== 'student' && (
          <span className={`role role-${message.authorRole}`}>{message.authorRole}</span>
        )}
        <time dateTime={new Date(message.ts).toISOString()}>{time(message.ts)}</time>
        {message.editedAt !== null && <span className="chat-edited">(edited)</span>}
      </div>
      {editing === null ? (
        <ChatText text={message.text} nameOf={nameOf} selfId={selfId} />
      ) : (
        <div className="chat-edit">
          <textarea
            value={editing}
            maxLength={CHAT_MAX_CHARS * 2}
            onChange={(e) => setEditing(e.target.value)}
            aria-label="Edit message"
          />
          <button type="button" className="primary" onClick={() => void saveEdit()}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </div>
      )}
      {Object.keys(message.reactions).length > 0 && (
        <div className="chat-reactions">
          {Object.entries(message.reactions).map(([reaction, users]) => {
            const mine = users.includes(selfId);
            return (
              <button
                key={reaction}
                type="button"
                className={mine ? 'chat-reaction mine' : 'chat-reaction'}
                title={users.map((u) => nameOf(u) ?? u).join(', ')}
                onClick={() => void actions.react(message, reaction, !mine)}
              >
                {reaction} {users.length}
              </button>
            );
          })}
        </div>
      )}
      {replies !== undefined && replies > 0 && (
        <button type="button" className="link-button chat-thread-link" onClick={onShowThread}>
          {replies} {replies === 1 ? 'reply' : 'replies'}
        </button>
      )}
      {/* Shown on hover or keyboard focus, over the message's top line, so messages stay compact. */}
      <div className="chat-actions">
        {actions.reply && (
          <button type="button" className="link-button" onClick={() => actions.reply?.(message)}>
            Reply
          </button>
        )}
        <button type="button" className="link-button" onClick={() => setPicking(!picking)} aria-label="React">
          React
        </button>
        {own && editing === null && (
          <button type="button" className="link-button" onClick={() => setEditing(message.text)}>
            Edit
          </button>
        )}
        {(own || staff) && !confirmingDelete && (
          <button
            type="button"
            className="link-button danger"
            onClick={() => setConfirmingDelete(true)}
            data-testid="chat-delete"
          >
            Delete
          </button>
        )}
      </div>
      {confirmingDelete && (
        <fieldset className="chat-confirm" data-testid="chat-delete-confirm">
          <legend className="sr-only">Confirm delete</legend>
          <span>
            {own
              ? 'Delete your message for everyone?'
              : `Delete ${message.authorName}’s message for everyone?`}
          </span>
          <button
            type="button"
            className="small-button danger solid"
            onClick={() => {
              setConfirmingDelete(false);
              void actions.remove(message);
            }}
            data-testid="chat-delete-yes"
          >
            Delete
          </button>
          <button type="button" className="small-button" onClick={() => setConfirmingDelete(false)}>
            Cancel
          </button>
        </fieldset>
      )}
      {picking && (
        <div className="chat-picker">
          {QUICK_REACTIONS.map((r) => (
            <button
              key={r}
              type="button"
              onClick={() => {
                setPicking(false);
                void actions.react(message, r, !(message.reactions[r] ?? []).includes(selfId));
              }}
            >
              {r}
            </button>
          ))}
        </div>
      )}
    </li>
  );
}
