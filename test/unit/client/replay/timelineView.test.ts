// Pure views of the timeline on the replay page: the chat at a moment (edits as of then, tombstones, other
// rooms left out), markers, links to a moment, shortcuts, where authors' cursors go, and refusal wording.
import type { ChatMessage, TimelineEvent } from '@tandem/shared';
import { createCodeFile, getCodeFile } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiError } from '../../../../client/src/classroom/api.ts';
import { AuthorCursors, endOfChange } from '../../../../client/src/replay/authorCursors.ts';
import { actionForKey } from '../../../../client/src/replay/shortcuts.ts';
import {
  chatAt,
  formatOffset,
  markersOf,
  momentLink,
  openedFileAt,
  postedAt,
  recordingAt,
} from '../../../../client/src/replay/timelineView.ts';
import { failureMessage } from '../../../../client/src/replay/useReplayData.ts';

const T0 = 1_000_000;
const message = (id: string, seq: number, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  seq,
  authorId: 'linus',
  authorName: 'Linus',
  authorRole: 'student',
  text,
  ts: T0 + seq * 1000,
  editedAt: null,
  replyTo: null,
  mentions: [],
  reactions: {},
  deleted: null,
  ...extra,
});
const chat = (
  id: string,
  at: number,
  action: 'posted' | 'edited' | 'deleted',
  m: ChatMessage,
  document?: string,
): TimelineEvent => ({
  id,
  at,
  kind: 'chat',
  actor: { id: m.authorId, name: m.authorName },
  data: { action, room: 'main', message: m, ...(document ? { document } : {}) },
});

const events: TimelineEvent[] = [
  { id: 's', at: T0, kind: 'session', actor: null, data: { action: 'started' } },
  chat('c1', T0 + 1000, 'posted', message('m1', 1, 'first')),
  {
    id: 'h',
    at: T0 + 1500,
    kind: 'hand',
    actor: null,
    data: { action: 'raised', userId: 'linus', name: 'Linus' },
  },
  chat(
    'c2',
    T0 + 2000,
    'posted',
    message('m2', 2, '', { deleted: { byId: 'ada', byName: 'Ada', at: T0 + 99_000 } }),
  ),
  chat('c3', T0 + 3000, 'edited', message('m1', 1, 'first, edited', { editedAt: T0 + 3000 })),
  chat('c4', T0 + 3500, 'posted', message('g1', 1, 'in a breakout room'), 'cls--g1/chat/main'),
  {
    id: 'h2',
    at: T0 + 4000,
    kind: 'hand',
    actor: null,
    data: { action: 'lowered', userId: 'linus', name: 'Linus' },
  },
];

describe('the chat at a moment', () => {
  it('holds the messages posted up to then, each as it read then', () => {
    expect(chatAt(events, T0 + 500, 'cls')).toEqual([]);
    expect(chatAt(events, T0 + 1000, 'cls').map((m) => m.text)).toEqual(['first']);
    expect(chatAt(events, T0 + 2999, 'cls').map((m) => m.text)).toEqual(['first', '']);
    expect(chatAt(events, T0 + 3000, 'cls').map((m) => m.text)).toEqual(['first, edited', '']);
  });

  it('shows a message deleted even after the class as deleted, and leaves other rooms out', () => {
    const at = chatAt(events, T0 + 10_000, 'cls');
    expect(at.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(at[1]?.deleted).toMatchObject({ byName: 'Ada' });
    expect(postedAt(events).get('m2')).toBe(T0 + 2000);
  });
});

describe('markers', () => {
  it('mark messages posted and hands raised, not edits of messages or hands lowered', () => {
    const markers = markersOf(events);
    expect(markers.map((m) => [m.kind, m.at])).toEqual([
      ['chat', T0 + 1000],
      ['hand', T0 + 1500],
      ['chat', T0 + 2000],
      ['chat', T0 + 3500],
    ]);
    expect(markers[2]?.label).toBe('Message from Linus (deleted)');
  });

  it('say what a follow-me or spotlight change was (a new leader, another workspace)', () => {
    const follow = (
      id: string,
      mode: 'follow' | 'spotlight',
      action: 'started' | 'moved' | 'ended',
      document: string | null,
      actor = 'Ada',
    ): TimelineEvent => ({
      id,
      at: T0 + Number(id.slice(1)) * 1000,
      kind: 'follow',
      actor: { id: actor.toLowerCase(), name: actor },
      data: { mode, action, document },
    });
    const markers = markersOf(
      [
        follow('f1', 'follow', 'started', null),
        follow('f2', 'follow', 'moved', null, 'Grace'),
        follow('f3', 'spotlight', 'started', 'cls/ws/linus'),
        follow('f4', 'spotlight', 'moved', 'cls/ws/zoe'),
        follow('f5', 'spotlight', 'ended', null),
        follow('f6', 'follow', 'ended', null),
      ],
      { linus: 'Linus' },
    );
    expect(markers.map((m) => m.label)).toEqual([
      'Ada started follow me',
      'Grace took over follow me',
      "Spotlight on Linus's workspace",
      "Spotlight moved to zoe's workspace",
    ]);
    expect(markers.every((m) => m.kind === 'follow')).toBe(true);
  });

  it('say which file a staff member opened, by its name then (its id when it had none)', () => {
    const opened = (id: string, fileId: string, name: string, actor: string | null): TimelineEvent => ({
      id,
      at: T0 + Number(id.slice(1)) * 1000,
      kind: 'file',
      actor: actor === null ? null : { id: actor.toLowerCase(), name: actor },
      data: { document: 'cls/code/main', fileId, name },
    });
    const markers = markersOf([
      opened('o1', 'f-utils', 'utils.py', 'Ines'),
      opened('o2', 'f-main', 'main.py', null),
      opened('o3', 'f-odd', '', 'Ines'),
    ]);
    expect(markers).toEqual([
      { id: 'o1', at: T0 + 1000, kind: 'file', label: 'Ines opened utils.py' },
      { id: 'o2', at: T0 + 2000, kind: 'file', label: 'someone opened main.py' },
      { id: 'o3', at: T0 + 3000, kind: 'file', label: 'Ines opened f-odd' },
    ]);
  });
});

describe('the file to follow', () => {
  it("is the last file opened in the shown document by then, other documents' left out", () => {
    const opened = (id: string, at: number, document: string, fileId: string): TimelineEvent => ({
      id,
      at,
      kind: 'file',
      actor: { id: 'ines', name: 'Ines' },
      data: { document, fileId, name: `${fileId}.py` },
    });
    const timeline = [
      opened('o1', T0 + 1000, 'cls/code/main', 'a'),
      ...events,
      opened('o2', T0 + 5000, 'cls--g1/code/main', 'g'),
      opened('o3', T0 + 6000, 'cls/code/main', 'b'),
    ].sort((x, y) => x.at - y.at);
    expect(openedFileAt(timeline, 'cls/code/main', T0 + 999)).toBeNull();
    expect(openedFileAt(timeline, 'cls/code/main', T0 + 1000)).toEqual({ eventId: 'o1', fileId: 'a' });
    expect(openedFileAt(timeline, 'cls/code/main', T0 + 5999)).toEqual({ eventId: 'o1', fileId: 'a' });
    expect(openedFileAt(timeline, 'cls/code/main', T0 + 6000)).toEqual({ eventId: 'o3', fileId: 'b' });
    expect(openedFileAt(timeline, 'cls--g1/code/main', T0 + 9000)).toEqual({ eventId: 'o2', fileId: 'g' });
    expect(openedFileAt(timeline, null, T0 + 9000)).toBeNull();
  });
});

describe('the recording shown', () => {
  const rec = (id: string, startedAt: number, stoppedAt: number, video = true) => ({
    id,
    startedAt,
    stoppedAt,
    video: video ? { url: `/v/${id}`, expiresAt: 0 } : null,
  });
  const recordings = [rec('a', 100, 200), rec('n', 250, 300, false), rec('b', 400, 500)];
  it('is the one playing, else the next to start, else the last; never one without a video', () => {
    expect(recordingAt(recordings, 150)?.id).toBe('a');
    expect(recordingAt(recordings, 50)?.id).toBe('a');
    expect(recordingAt(recordings, 260)?.id).toBe('b');
    expect(recordingAt(recordings, 450)?.id).toBe('b');
    expect(recordingAt(recordings, 900)?.id).toBe('b');
    expect(recordingAt([rec('n', 1, 2, false)], 1)).toBeNull();
  });
});

describe('links and times', () => {
  it('link to a moment with t= and never carry the fragment (the token)', () => {
    expect(momentLink('https://x.test/replay/s1?t=5#token=secret', 1234.6)).toBe(
      'https://x.test/replay/s1?t=1235',
    );
    expect(momentLink('https://x.test/embed/c?view=replay&session=s1', 7)).toBe(
      'https://x.test/embed/c?view=replay&session=s1&t=7',
    );
  });

  it('say how far into the class', () => {
    expect(formatOffset(65_000)).toBe('1:05');
    expect(formatOffset(3_725_000)).toBe('1:02:05');
    expect(formatOffset(-5)).toBe('0:00');
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: string, shiftKey = false, ctrlKey = false) =>
    actionForKey({ key: k, shiftKey, ctrlKey, metaKey: false, altKey: false });
  it('map keys to actions and leave browser shortcuts alone', () => {
    expect(key(' ')).toEqual({ type: 'toggle' });
    expect(key('ArrowLeft')).toEqual({ type: 'skip', ms: -5000 });
    expect(key('ArrowRight', true)).toEqual({ type: 'skip', ms: 30_000 });
    expect(key('.')).toEqual({ type: 'stepEdit', direction: 1 });
    expect(key(',')).toEqual({ type: 'stepEdit', direction: -1 });
    expect(key('?')).toEqual({ type: 'help' });
    expect(key('ArrowLeft', false, true)).toBeNull();
    expect(key('x')).toBeNull();
  });
});

describe('authors’ cursors', () => {
  it('find where a change ends', () => {
    expect(endOfChange([{ retain: 4 }, { insert: 'ab' }])).toBe(6);
    expect(endOfChange([{ retain: 2 }, { delete: 3 }])).toBe(2);
    expect(endOfChange([{ retain: 2 }])).toBeNull();
  });

  it('follow the edits played, and start from blame after a seek', () => {
    const doc = new Y.Doc();
    createCodeFile(doc, { id: 'main', name: 'a.py', content: 'one\ntwo\n', createdBy: 'ada' });
    const text = getCodeFile(doc, 'main')!.text;
    let author: { userId: string; ts: number } | null = null;
    const cursors = new AuthorCursors((id) => id.toUpperCase());
    cursors.watch(doc, () => author);
    cursors.seedFromBlame('main', text, {
      file: { id: 'main', name: 'a.py' },
      lines: [
        { line: 1, userId: 'ada', ts: T0 },
        { line: 2, userId: 'linus', ts: T0 + 5 },
      ],
      names: {},
    });
    expect(cursors.resolve('main', text).map((c) => [c.name, c.head])).toEqual([
      ['ADA', 3],
      ['LINUS', 7],
    ]);
    author = { userId: 'ada', ts: T0 + 10 };
    text.insert(0, '# ');
    author = null;
    // Ada's cursor is after what she typed; Linus's moved with the text.
    expect(cursors.resolve('main', text).map((c) => [c.name, c.head])).toEqual([
      ['ADA', 2],
      ['LINUS', 9],
    ]);
    // An older blame does not move a cursor placed by a later played edit.
    cursors.seedFromBlame('main', text, {
      file: { id: 'main', name: 'a.py' },
      lines: [{ line: 2, userId: 'ada', ts: T0 }],
      names: {},
    });
    expect(cursors.resolve('main', text)[0]?.head).toBe(2);
    cursors.destroy();
  });
});

describe('refusal pages', () => {
  it('say what happened and what to do', () => {
    expect(failureMessage(new ApiError(403, 'forbidden', 'only staff')).title).toBe(
      'You may not replay this session',
    );
    expect(failureMessage(new ApiError(404, 'not_found', 'x')).title).toBe('No such session');
    expect(failureMessage(new TypeError('Failed to fetch')).title).toBe('Could not reach Tandem');
  });
});
