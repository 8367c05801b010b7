// Staff controls of the live class, as buttons and switches in labelled groups: start and end the session
// (instructors; "Record from the start" records the new session from its start), let students edit code and whiteboard, what students may share in the call, mute everyone,
// spotlight a student's workspace, announcements, and chat moderation. ("Everyone follows me" is the switch
// above the editor, and "bring everyone to the stage" is on the stage: one control each.)
import {
  ANNOUNCEMENT_MAX_CHARS,
  type ClassState,
  MAIN_CHAT_ROOM,
  PUBLISH_POLICIES,
  type PublishPolicy,
  type Role,
} from '@tandem/shared';
import { type ReactNode, useState } from 'react';
import { RecordingControl } from '../recording/RecordingControl.tsx';
import { ReplaySetting } from '../replay/ReplaySetting.tsx';
import { Switch } from '../ui/Switch.tsx';
import type { ClassroomApi } from './api.ts';

export interface StaffControlsProps {
  api: ClassroomApi;
  state: ClassState;
  role: Role;
  students: readonly { id: string; name: string }[];
  /** The class has had a session (so it has a row and its settings can be read). */
  classHasSessions: boolean;
}

const SLOW_MODE_CHOICES = [0, 10, 30, 60] as const;
const POLICY_LABELS: Record<PublishPolicy, string> = {
  none: 'listen only',
  audio: 'microphone',
  'audio-video': 'microphone and camera',
  all: 'microphone, camera and screen',
};

export function StaffControls({ api, state, role, students, classHasSessions }: StaffControlsProps) {
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [spotlightId, setSpotlightId] = useState('');
  const [muteId, setMuteId] = useState('');
  const [policy, setPolicy] = useState<PublishPolicy | null>(null);
  const [recordFromStart, setRecordFromStart] = useState(false);
  const run = (action: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNote(null);
    const request = action();
    request.then(
      () => done && setNote(done),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
    return request;
  };
  const session = state.session;

  return (
    <section className="staff-controls" aria-label="Class controls" data-testid="staff-controls">
      <Group title="Session">
        {session ? (
          <>
            <span className="status-pill live">
              Live since{' '}
              {new Date(session.startedAt ?? session.createdAt).toLocaleTimeString([], {
                hour: '2-digit',
                minute: '2-digit',
              })}
            </span>
            {role === 'instructor' && (
              <button
                type="button"
                className="button danger"
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
            <span className="status-pill">Not live</span>
            {role === 'instructor' && !state.breakoutOf && (
              <>
                <button
                  type="button"
                  className="button primary"
                  onClick={() => run(() => api.startSession(recordFromStart))}
                  data-testid="start-session"
                >
                  Start class
                </button>
                <label className="inline-field">
                  <input
                    type="checkbox"
                    checked={recordFromStart}
                    onChange={(e) => setRecordFromStart(e.target.checked)}
                    data-testid="record-from-start"
                  />
                  Record from the start
                </label>
              </>
            )}
          </>
        )}
      </Group>
      <Group title="Recording">
        <RecordingControl api={api} state={state} />
      </Group>
      <Group title="Replay">
        <ReplaySetting api={api} known={classHasSessions || state.session !== null} />
      </Group>
      <Group title="Students may edit">
        <Switch
          checked={!state.locks.codeLocked}
          onChange={(on) => run(() => api.setLocks({ codeLocked: !on }))}
          testId="lock-code"
        >
          Code
        </Switch>
        <Switch
          checked={!state.locks.boardLocked}
          onChange={(on) => run(() => api.setLocks({ boardLocked: !on }))}
          testId="lock-board"
        >
          Whiteboard
        </Switch>
      </Group>
      <Group title="Microphones">
        <button
          type="button"
          className="button"
          onClick={() => run(api.muteAll, 'Everyone’s microphone is muted.')}
          data-testid="mute-all"
        >
          Mute everyone
        </button>
      </Group>
      <Group title="In the call, students may use">
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
      </Group>
      <Group title="Spotlight a workspace">
        <StudentSelect
          students={students}
          value={spotlightId}
          onChange={setSpotlightId}
          label="Student to spotlight"
          placeholder="Choose a student…"
        />
        <button
          type="button"
          className="button"
          disabled={!spotlightId}
          onClick={() => run(() => api.setSpotlight(spotlightId))}
        >
          Show to everyone
        </button>
        {state.spotlight && (
          <button type="button" className="button" onClick={() => run(() => api.setSpotlight(null))}>
            End spotlight on {state.spotlight.user.name}
          </button>
        )}
      </Group>
      <form
        className="control-group"
        onSubmit={(e) => {
          e.preventDefault();
          const text = announcement.trim();
          if (text) run(() => api.announce(text).then(() => setAnnouncement('')));
        }}
      >
        <h3>Announcement</h3>
        <div className="control-row">
          <input
            value={announcement}
            maxLength={ANNOUNCEMENT_MAX_CHARS}
            onChange={(e) => setAnnouncement(e.target.value)}
            placeholder="To everyone, breakout rooms too"
            aria-label="Announcement"
            data-testid="announcement-input"
          />
          <button type="submit" className="button" disabled={!announcement.trim()}>
            Announce
          </button>
        </div>
      </form>
      <Group title="Chat">
        <label className="inline-field">
          Slow mode
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
          className="button"
          disabled={!muteId}
          onClick={() => run(() => api.muteInChat(muteId, true), 'Muted in chat.')}
        >
          Mute
        </button>
        <button
          type="button"
          className="button"
          disabled={!muteId}
          onClick={() => run(() => api.muteInChat(muteId, false), 'Unmuted.')}
        >
          Unmute
        </button>
      </Group>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="control-group">
      <h3>{title}</h3>
      <div className="control-row">{children}</div>
    </div>
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
