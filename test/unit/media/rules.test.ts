// The class media rules, as pure functions: publish policy and grants, moderation and admission.
import {
  admissionDecision,
  grantDecision,
  kindOfSource,
  MEDIA_SOURCES,
  moderationDecision,
  type ProducerSource,
  PUBLISH_POLICIES,
  type PublishPolicy,
  publishDecision,
  ROLES,
} from '@tandem/shared';
import { describe, expect, it } from 'vitest';

const allowed = (policy: PublishPolicy) =>
  MEDIA_SOURCES.filter((source) => publishDecision('student', policy, source).ok);

describe('publishDecision', () => {
  it('lets students publish exactly what the class policy allows', () => {
    expect(allowed('none')).toEqual([]);
    expect(allowed('audio')).toEqual(['mic']);
    expect(allowed('audio-video')).toEqual(['mic', 'camera']);
    expect(allowed('all')).toEqual(['mic', 'camera', 'screen', 'screen-audio']);
  });

  it('lets staff publish everything under every policy, and observers nothing', () => {
    for (const policy of PUBLISH_POLICIES) {
      for (const source of MEDIA_SOURCES) {
        expect(publishDecision('instructor', policy, source).ok).toBe(true);
        expect(publishDecision('assistant', policy, source).ok).toBe(true);
        expect(publishDecision('observer', policy, source)).toEqual({
          ok: false,
          reason: 'observers cannot publish media',
        });
      }
    }
  });

  it('explains a refusal with the source and the policy', () => {
    const decision = publishDecision('student', 'audio', 'camera');
    expect(decision.ok).toBe(false);
    expect(!decision.ok && decision.reason).toBe(
      'students may not publish camera in this class (student publishing is "audio"; ask the instructor to let you present)',
    );
  });

  it('widens the policy for one student by their grant, never narrows it', () => {
    const granted = (policy: PublishPolicy, grant: 'speak' | 'present') =>
      MEDIA_SOURCES.filter((source) => publishDecision('student', policy, source, grant).ok);
    expect(granted('none', 'speak')).toEqual(['mic']);
    expect(granted('audio', 'present')).toEqual(['mic', 'camera', 'screen', 'screen-audio']);
    expect(granted('all', 'speak')).toEqual(['mic', 'camera', 'screen', 'screen-audio']);
    // A grant does nothing for an observer: they never publish.
    expect(publishDecision('observer', 'all', 'mic', 'present').ok).toBe(false);
  });

  it('maps each source to its media kind', () => {
    const kinds = Object.fromEntries(MEDIA_SOURCES.map((s: ProducerSource) => [s, kindOfSource(s)]));
    expect(kinds).toEqual({ mic: 'audio', camera: 'video', screen: 'video', 'screen-audio': 'audio' });
  });
});

describe('moderationDecision', () => {
  it('lets staff moderate, and nobody else', () => {
    for (const actor of ROLES) {
      expect(moderationDecision(actor).ok).toBe(actor === 'instructor' || actor === 'assistant');
    }
  });

  it('keeps assistants off the instructor, but not off each other or students', () => {
    expect(moderationDecision('assistant', 'instructor').ok).toBe(false);
    expect(moderationDecision('assistant', 'assistant').ok).toBe(true);
    expect(moderationDecision('assistant', 'student').ok).toBe(true);
    expect(moderationDecision('instructor', 'instructor').ok).toBe(true);
  });
});

describe('grantDecision', () => {
  it('lets staff grant students only, and keeps assistants off the instructor', () => {
    expect(grantDecision('instructor', 'student').ok).toBe(true);
    expect(grantDecision('assistant', 'student').ok).toBe(true);
    expect(grantDecision('student', 'student')).toEqual({
      ok: false,
      reason: 'only instructors and assistants can moderate class media',
    });
    expect(grantDecision('instructor', 'observer').ok).toBe(false);
    expect(grantDecision('instructor', 'assistant').ok).toBe(false);
    expect(grantDecision('assistant', 'instructor')).toEqual({
      ok: false,
      reason: 'assistants cannot moderate the instructor',
    });
  });
});

describe('admissionDecision', () => {
  it('caps students and observers at the class maximum', () => {
    expect(admissionDecision('student', 99, 100).ok).toBe(true);
    expect(admissionDecision('student', 100, 100)).toEqual({
      ok: false,
      reason: 'the class media session is full (100 participants)',
    });
    expect(admissionDecision('observer', 100, 100).ok).toBe(false);
  });

  it('always admits staff, so a full class never locks out its instructor', () => {
    expect(admissionDecision('instructor', 500, 100).ok).toBe(true);
    expect(admissionDecision('assistant', 100, 100).ok).toBe(true);
  });
});
