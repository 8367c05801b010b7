// Which class a request belongs to, from its path: what the cluster routes to a class's owner.
import { describe, expect, it } from 'vitest';
import { classOfHttpPath, classOfUpgrade } from '../../../server/src/cluster/classOfRequest.ts';

const url = (path: string) => new URL(path, 'http://localhost');

describe('classOfHttpPath', () => {
  it.each([
    ['/api/classes/c1', { kind: 'class', classId: 'c1' }],
    ['/api/classes/c1/hands/u2', { kind: 'class', classId: 'c1' }],
    ['/api/classes/c1--r1g2/chat/main', { kind: 'class', classId: 'c1--r1g2' }],
    ['/api/documents/c1/code/main/versions', { kind: 'class', classId: 'c1' }],
    ['/api/sessions/s9/end', { kind: 'session', sessionId: 's9' }],
    ['/api/sessions/s9', { kind: 'session', sessionId: 's9' }],
    ['/api/polls/poll-Ab_9', { kind: 'poll', pollId: 'poll-Ab_9' }],
    ['/api/polls/p1/answers', { kind: 'poll', pollId: 'p1' }],
    ['/api/recordings/rec_x1', { kind: 'recording', recordingId: 'rec_x1' }],
    ['/api/recordings/rec_x1/files/seg1', { kind: 'recording', recordingId: 'rec_x1' }],
  ])('%s → %o', (path, expected) => {
    expect(classOfHttpPath(path)).toEqual(expected);
  });

  it.each([
    '/api/classes',
    '/api/classes/',
    '/healthz',
    '/api/polls',
    '/api/polls/a%20b',
    '/api/recordings/',
    '/api/webhooks/deliveries/d1/retry',
    '/api/classes/a b/x',
    `/api/classes/${'x'.repeat(65)}`,
  ])('%s is served where it lands', (path) => {
    expect(classOfHttpPath(path)).toBeUndefined();
  });
});

describe('classOfUpgrade', () => {
  it.each([
    ['/collab?class=c1', { kind: 'class', classId: 'c1' }],
    ['/media?class=c1--r1g1', { kind: 'class', classId: 'c1--r1g1' }],
    ['/yjs/c1%2Fcode%2Fmain?token=x', { kind: 'class', classId: 'c1' }],
    ['/yjs/c1/board/main', { kind: 'class', classId: 'c1' }],
  ])('%s → %o', (path, expected) => {
    expect(classOfUpgrade(url(path))).toEqual(expected);
  });

  it.each([
    '/collab',
    '/collab?class=',
    '/collab?class=a%20b',
    '/media',
    '/yjs/nope',
    '/yjs/%E0%A4%A',
    '/other?class=c1',
  ])('%s names no class', (path) => {
    expect(classOfUpgrade(url(path))).toBeUndefined();
  });
});
