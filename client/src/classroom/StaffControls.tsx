// Staff controls of the live class: start and end the session (instructors), lock code and whiteboard,
// follow me, what students may share in the call, spotlight a student's workspace, mute everyone,
// announcements, and chat moderation.
import {
  ANNOUNCEMENT_MAX_CHARS,
  type ClassState,
  MAIN_CHAT_ROOM,
  PUBLISH_POLICIES,
  type PublishPolicy,
  type Role,
} from '@tandem/shared';
import { useState } from 'react';
import type { ClassroomApi } from './api.ts';

export interface StaffControlsProps {
  api: ClassroomApi;
  state: ClassState;
  role: Role;
  selfId: string;
  students: readonly { id: string; name: string }[];
}

const SLOW_MODE_CHOICES = [0, 10, 30, 60] as const;
const POLICY_LABELS: Record<PublishPolicy, string> = {
  none: 'listen only',
  audio: 'microphone',
  'audio-video': 'microphone and camera',
  all: 'microphone, camera and screen',
};

export function StaffControls({ api, state, role, selfId, students }: StaffControlsProps) {
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [spotlightId, setSpotlightId] = useState('');
  const [muteId, setMuteId] = useState('');
  const [policy, setPolicy] = useState<PublishPolicy | null>(null);
  const run = (action: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNote(null);
    action().then(
      () => done && setNote(done),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  };
  const leading = state.followMe?.id === selfId;
  const session = state.session;

  return (
    <section className="staff-controls" aria-label="Class controls" data-testid="staff-controls">
      <div className="control-row">
        {session ? (
          <>
            <span className="live-dot">
              Live since{' '}
              {new Date(session.startedAt ?? session.createdAt).toLocaleTimeString([], {
                hour: '2-digit',
                minute: '2-digit',
              })}
            </span>
            {role === 'instructor' && (
              <button
                type="button"
                className="danger"
                onClick={() =>
                  window.confirm('End the class for everyone?') && run(() => api.endSession(session.id))
                }
                data-testid="end-session"
              >
                End class
              </button>
            )}
          </>
        ) : (
          <>
            <span className="muted">Not live</span>
            {role === 'instructor' && !state.breakoutOf && (
              <button
                type="button"
                className="primary"
                onClick={() => run(api.startSession)}
                data-testid="start-session"
              >
                Start class
              </button>
            )}
          </>
        )}
      </div>
      <fieldset className="control-group">
        <legend>Students may edit</legend>
        <label>
          <input
            type="checkbox"
            checked={!state.locks.codeLocked}
            onChange={(e) => run(() => api.setLocks({ codeLocked: !e.target.checked }))}
            data-testid="lock-code"
          />
          Code
        </label>
        <label>
          <input
            type="checkbox"
            checked={!state.locks.boardLocked}
            onChange={(e) => run(() => api.setLocks({ boardLocked: !e.target.checked }))}
            data-testid="lock-board"
          />
          Whiteboard
        </label>
      </fieldset>
      <div className="control-row">
        <button
          type="button"
          className={leading ? 'primary' : ''}
          aria-pressed={leading}
          onClick={() => run(() => api.setFollowMe(!leading))}
          data-testid="follow-me-class"
        >
          {leading ? 'Stop “follow me”' : 'Everyone follows me'}
        </button>
        {state.followMe && !leading && <span className="muted">{state.followMe.name} leads</span>}
        <button
          type="button"
          onClick={() => run(api.muteAll, 'Everyone’s microphone is muted.')}
          data-testid="mute-all"
        >
          Mute all
        </button>
      </div>
      <div className="control-row">
        <label>
          Students in the call may use{' '}
          <select
            value={policy ?? state.publishPolicy}
            onChange={(e) => {
              const next = e.target.value as PublishPolicy;
              run(() => api.setPublishPolicy(next).then(() => setPolicy(next)));
            }}
            aria-label="What students may share in the call"
            data-testid="publish-policy"
          >
            {PUBLISH_POLICIES.map((p) => (
              <option key={p} value={p}>
                {POLICY_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="control-row">
        <StudentSelect
          students={students}
          value={spotlightId}
          onChange={setSpotlightId}
          label="Student to spotlight"
          placeholder="Spotlight a workspace…"
        />
        <button
          type="button"
          disabled={!spotlightId}
          onClick={() => run(() => api.setSpotlight(spotlightId))}
        >
          Show
        </button>
        {state.spotlight && (
          <button type="button" onClick={() => run(() => api.setSpotlight(null))}>
            End spotlight on {state.spotlight.user.name}
          </button>
        )}
      </div>
      <form
        className="control-row"
        onSubmit={(e) => {
          e.preventDefault();
          const text = announcement.trim();
          if (text) run(() => api.announce(text).then(() => setAnnouncement('')));
        }}
      >
        <input
          value={announcement}
          maxLength={ANNOUNCEMENT_MAX_CHARS}
          onChange={(e) => setAnnouncement(e.target.value)}
          placeholder="Announcement to everyone"
          aria-label="Announcement"
          data-testid="announcement-input"
        />
        <button type="submit" disabled={!announcement.trim()}>
          Announce
        </button>
      </form>
      <div className="control-row">
        <label>
          Slow mode{' '}
          <select
            onChange={(e) => run(() => api.setSlowMode(MAIN_CHAT_ROOM, Number(e.target.value)))}
            aria-label="Chat slow mode"
            defaultValue="0"
          >
            {SLOW_MODE_CHOICES.map((s) => (
              <option key={s} value={s}>
                {s === 0 ? 'off' : `${s} s`}
              </option>
            ))}
          </select>
        </label>
        <StudentSelect
          students={students}
          value={muteId}
          onChange={setMuteId}
          label="Person to mute in chat"
          placeholder="Mute in chat…"
        />
        <button
          type="button"
          disabled={!muteId}
          onClick={() => run(() => api.muteInChat(muteId, true), 'Muted in chat.')}
        >
          Mute
        </button>
        <button
          type="button"
          disabled={!muteId}
          onClick={() => run(() => api.muteInChat(muteId, false), 'Unmuted.')}
        >
          Unmute
        </button>
      </div>
      {note && <p className="muted">{note}</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** A picker over the class's students, with an empty first choice. */
function StudentSelect(props: {
  students: readonly { id: string; name: string }[];
  value: string;
  onChange: (id: string) => void;
  label: string;
  placeholder: string;
}) {
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-label={props.label}>
      <option value="">{props.placeholder}</option>
      {props.students.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </select>
  );
}
