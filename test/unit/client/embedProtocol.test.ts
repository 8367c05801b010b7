// The postMessage API: command and event validation, origin rules, and how the embed finds its host.
import {
  embedCommand,
  embedEvent,
  isAllowedEmbedOrigin,
  originOf,
  parseEmbedCommand,
  parseEmbedEvent,
} from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { resolveParentOrigin } from '../../../client/src/embed/EmbedBridge.ts';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';

describe('embed messages', () => {
  it('accepts well-formed commands and stamps the protocol version', () => {
    const command = embedCommand({ type: 'setToken', token: JWT, id: 'c1' });
    expect(command).toEqual({ tandem: 1, type: 'setToken', token: JWT, id: 'c1' });
    expect(parseEmbedCommand(command)).toEqual({ ok: true, value: command });
    expect(parseEmbedCommand({ tandem: 1, type: 'follow', userId: null }).ok).toBe(true);
    expect(parseEmbedCommand({ tandem: 1, type: 'setTheme', theme: 'dark' }).ok).toBe(true);
  });

  it('ignores foreign messages silently and explains bad Tandem ones, keeping the command id', () => {
    expect(parseEmbedCommand('hello')).toEqual({ ok: false, foreign: true });
    expect(parseEmbedCommand({ type: 'setToken' })).toEqual({ ok: false, foreign: true });
    expect(parseEmbedCommand({ tandem: 1, type: 'setTheme', theme: 'pink', id: 'c9' })).toMatchObject({
      ok: false,
      foreign: false,
      id: 'c9',
      reason: expect.stringContaining('theme'),
    });
    expect(parseEmbedCommand({ tandem: 1, type: 'setToken', token: 'not a jwt' })).toMatchObject({
      ok: false,
      foreign: false,
    });
    expect(parseEmbedCommand({ tandem: 2, type: 'setTheme', theme: 'dark' })).toMatchObject({
      ok: false,
      foreign: false,
    });
    expect(parseEmbedCommand({ tandem: 1, type: 'eval', code: 'alert(1)' })).toMatchObject({
      ok: false,
      foreign: false,
    });
  });

  it('validates events the host receives', () => {
    const ready = embedEvent({ type: 'ready', view: 'all', needsToken: true });
    expect(parseEmbedEvent(ready)).toEqual({ ok: true, value: ready });
    expect(parseEmbedEvent({ tandem: 1, type: 'saved', saved: true, pending: -1 }).ok).toBe(false);
    const unread = embedEvent({ type: 'unread', unreadCount: 3 });
    expect(unread).toEqual({ tandem: 1, type: 'unread', unreadCount: 3 });
    expect(parseEmbedEvent(unread)).toEqual({ ok: true, value: unread });
    expect(parseEmbedEvent({ tandem: 1, type: 'unread', unreadCount: -1 }).ok).toBe(false);
    expect(parseEmbedEvent({ tandem: 1, type: 'unread', unreadCount: 1.5 }).ok).toBe(false);
    expect(parseEmbedEvent({ tandem: 1, type: 'unread' }).ok).toBe(false);
  });
});

describe('origins', () => {
  it('extracts origins and rejects opaque ones', () => {
    expect(originOf('https://lms.example.edu/course/1?x#y')).toBe('https://lms.example.edu');
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('data:text/html,hi')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });

  it('allows its own origin and listed origins only (exact match)', () => {
    const allowed = ['https://lms.example.edu'];
    expect(isAllowedEmbedOrigin('https://tandem.example', 'https://tandem.example', allowed)).toBe(true);
    expect(isAllowedEmbedOrigin('https://lms.example.edu', 'https://tandem.example', allowed)).toBe(true);
    expect(isAllowedEmbedOrigin('https://lms.example.edu.evil.com', 'https://tandem.example', allowed)).toBe(
      false,
    );
    expect(isAllowedEmbedOrigin('http://lms.example.edu', 'https://tandem.example', allowed)).toBe(false);
  });

  it('finds the host origin from the parent parameter, referrer or ancestors, and never trusts a mismatch', () => {
    const base = {
      framed: true,
      selfOrigin: 'https://t.example',
      allowed: ['https://lms.example'],
      queryParent: null,
      referrer: '',
      ancestorOrigins: [],
    };
    expect(resolveParentOrigin({ ...base, framed: false, queryParent: 'https://lms.example' })).toBeNull();
    expect(resolveParentOrigin({ ...base, queryParent: 'https://lms.example' })).toBe('https://lms.example');
    expect(resolveParentOrigin({ ...base, referrer: 'https://lms.example/course/7' })).toBe(
      'https://lms.example',
    );
    expect(resolveParentOrigin({ ...base, ancestorOrigins: ['https://lms.example'] })).toBe(
      'https://lms.example',
    );
    expect(resolveParentOrigin({ ...base, queryParent: 'https://evil.example' })).toBeNull();
    // Claiming an allowed origin while actually framed elsewhere does not work.
    expect(
      resolveParentOrigin({
        ...base,
        queryParent: 'https://lms.example',
        ancestorOrigins: ['https://evil.example'],
      }),
    ).toBeNull();
    expect(resolveParentOrigin({ ...base, queryParent: 'https://lms.example/path' })).toBeNull();
  });
});
