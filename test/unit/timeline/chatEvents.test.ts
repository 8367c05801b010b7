// A chat room's timeline events from the room now and its audit: each event shows the text the message had
// then, and a message deleted since shows only its tombstone.
import type { ChatMessage } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../server/src/storage/types/chat.ts';
import { chatEvents } from '../../../server/src/timeline/chatEvents.ts';

const message = (id: string, ts: number, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  seq: ts,
  authorId: 'ana',
  authorName: 'Ana',
  authorRole: 'student',
  text,
  ts,
  editedAt: null,
  replyTo: null,
  mentions: [],
  reactions: {},
  deleted: null,
  ...extra,
});

let auditId = 0;
const audit = (messageId: string, action: 'edit' | 'delete', oldText: string, at: number): AuditEntry => ({
  id: ++auditId,
  messageId,
  action,
  actorId: 'ana',
  actorName: 'Ana',
  authorId: 'ana',
  oldText,
  at,
});

describe('chatEvents', () => {
  it('gives each edit the text it produced', () => {
    const events = chatEvents(
      {
        document: 'c/chat/main',
        room: 'main',
        messages: [message('m1', 100, 'third', { editedAt: 300 })],
        audit: [audit('m1', 'edit', 'first', 200), audit('m1', 'edit', 'second', 300)],
      },
      0,
      1000,
    );
    expect(events.map((e) => [e.at, e.data.action, e.data.message.text, e.data.message.editedAt])).toEqual([
      [100, 'posted', 'first', null],
      [200, 'edited', 'second', 200],
      [300, 'edited', 'third', 300],
    ]);
  });

  it('shows a message deleted since only as its tombstone, with who deleted it', () => {
    const tombstone = { byId: 'tess', byName: 'Tess', at: 500 };
    const events = chatEvents(
      {
        document: 'c/chat/main',
        room: 'main',
        messages: [message('m2', 100, '', { deleted: tombstone })],
        audit: [audit('m2', 'edit', 'secret', 200), audit('m2', 'delete', 'still secret', 500)],
      },
      0,
      1000,
    );
    expect(events.map((e) => e.data.action)).toEqual(['posted', 'edited', 'deleted']);
    expect(JSON.stringify(events)).not.toContain('secret');
    expect(events.at(-1)!.actor).toEqual({ id: 'tess', name: 'Tess' });
  });

  it('keeps to the range', () => {
    const events = chatEvents(
      { document: 'c/chat/main', room: 'main', messages: [message('m3', 50, 'early')], audit: [] },
      100,
      200,
    );
    expect(events).toEqual([]);
  });
});
