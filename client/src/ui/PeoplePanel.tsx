// Who is here: one row per person with role, online/idle, current file, microphone and camera, a button to
// follow them in the editor, and (for staff) their actions menu.
import type { CodeFile } from '@tandem/shared';
import type { ReactNode } from 'react';
import { groupPeople, type Peer } from '../presence/peerState.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './icons.tsx';

export interface PeoplePanelProps {
  peers: readonly Peer[];
  files: readonly CodeFile[];
  following: string | null;
  onFollow?(userId: string | null): void;
  /** Staff: the per-person actions menu of a row (classroom/PersonActions.tsx). */
  actionsFor?(user: { id: string; name: string }): ReactNode;
}

export function PeoplePanel({ peers, files, following, onFollow, actionsFor }: PeoplePanelProps) {
  const people = groupPeople(peers);
  const fileName = (id: string) => files.find((f) => f.id === id)?.name;
  return (
    <section className="people-panel" aria-label="People">
      <div className="panel-header">
        <h2>People</h2>
        <span className="count">{people.length}</span>
      </div>
      <ul className="people-list" data-testid="people-list">
        {people.map((person) => {
          const where = person.files.map(fileName).filter(Boolean).join(', ');
          return (
            <li
              key={person.user.id}
              className={person.idle ? 'person idle' : 'person'}
              data-user-id={person.user.id}
            >
              <Avatar name={person.user.name} color={person.color} size="sm" />
              <div className="person-main">
                <div className="person-name">
                  <span className="name">{person.user.name}</span>
                  {person.isSelf && <span className="you"> (you)</span>}
                </div>
                <div className="person-meta">
                  <span className={`role role-${person.user.role}`}>{person.user.role}</span>
                  <span
                    className={person.idle ? 'presence idle' : 'presence online'}
                    title={person.idle ? 'idle' : 'online'}
                  >
                    {person.idle ? 'idle ' : ''}
                  </span>
                  {where && <span className="where">{where}</span>}
                  {person.followMe && <span className="leading"> · leading</span>}
                </div>
              </div>
              <span className="media-flags">
                <span
                  className={person.media.mic ? 'flag on' : 'flag off'}
                  title={person.media.mic ? 'Microphone on' : 'Microphone off'}
                >
                  <Icon name={person.media.mic ? 'mic' : 'micOff'} size={14} />
                </span>
                <span
                  className={person.media.cam ? 'flag on' : 'flag off'}
                  title={person.media.cam ? 'Camera on' : 'Camera off'}
                >
                  <Icon name={person.media.cam ? 'cam' : 'camOff'} size={14} />
                </span>
              </span>
              {onFollow && !person.isSelf && (
                <button
                  type="button"
                  className={
                    following === person.user.id
                      ? 'icon-button follow-button active'
                      : 'icon-button follow-button'
                  }
                  onClick={() => onFollow(following === person.user.id ? null : person.user.id)}
                  title={
                    following === person.user.id
                      ? `Stop following ${person.user.name}`
                      : `Follow ${person.user.name} in the editor`
                  }
                  aria-label={
                    following === person.user.id
                      ? `Stop following ${person.user.name}`
                      : `Follow ${person.user.name}`
                  }
                  aria-pressed={following === person.user.id}
                >
                  <Icon name={following === person.user.id ? 'eyeOff' : 'eye'} size={15} />
                </button>
              )}
              {actionsFor?.(person.user)}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
