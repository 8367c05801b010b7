// What the call tells a person staff acted on, in one sentence that says who did it and what they can do
// next. Pure, so it is tested without a browser.
import type { MediaNotificationData, PublishGrant, PublishPolicy } from '@tandem/shared';

const POLICY_WORDS: Record<PublishPolicy, string> = {
  none: 'students listen only',
  audio: 'students may use their microphone',
  'audio-video': 'students may use their microphone and camera',
  all: 'students may use their microphone and camera and share their screen',
};

const GRANT_WORDS: Record<PublishGrant, string> = {
  speak: 'let you speak: you may turn your microphone on',
  present: 'let you present: you may use your microphone and camera and share your screen',
};

export function mutedNotice(byName: string): string {
  return `${byName} muted you. Unmute when you want to speak.`;
}

export function stoppedNotice({ source, byName }: MediaNotificationData<'stoppedByStaff'>): string {
  return source === 'camera'
    ? `${byName} stopped your camera. You can turn it on again when you are ready.`
    : `${byName} stopped your screen share. You can share again when you are asked to.`;
}

export function grantNotice({ grant, byName }: MediaNotificationData<'publishGrantChanged'>): string {
  return grant
    ? `${byName} ${GRANT_WORDS[grant]}.`
    : `${byName} took back your permission to speak or present; the class rules apply to you again.`;
}

export function policyNotice({ policy, byName }: MediaNotificationData<'publishPolicyChanged'>): string {
  return `${byName} changed the call: ${POLICY_WORDS[policy]}.`;
}
