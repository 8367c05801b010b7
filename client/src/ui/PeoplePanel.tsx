// Who is here: one row per person with role, online/idle, a raised hand (with its place in the queue),
// whether they are presenting, where they are (a file, the whiteboard or the stage), microphone and camera,
// a button to follow them in the editor, and (for staff) their actions menu.
import type { CodeFile } from '@tandem/shared';
import type { ReactNode } from 'react';
import { groupPeople, type Peer, type Place } from '../presence/peerState.ts';
import { Avatar } from './Avatar.tsx';
import { Icon } from './icons.tsx';

export interface PeoplePanelProps {
  peers: readonly Peer[];
  files: readonly CodeFile[];
  following: string | null;
  onFollow?(userId: string | null): void;
  /** Raised hands: user ids in queue order, and whether that order is the class's queue (staff see it). */
  hands?: { ids: readonly string[]; ordered: boolean };
  /** Who asked everyone to follow them, or null. */
  leaderId?: string | null;
  /** Staff: the per-person actions menu of a row (classroom/PersonActions.tsx). */
  actionsFor?(user: { id: string; name: string }): ReactNode;
}

const NO_HANDS = { ids: [], ordered: false } as const;

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'}`;

export function PeoplePanel({
  peers,
  files,
  following,
  onFollow,
  hands = NO_HANDS,
  leaderId = null,
  actionsFor,
}: PeoplePanelProps) {
  const people = groupPeople(peers);
  const placeName = (place: Place) =>
    place.kind === 'board'
      ? 'Whiteboard'
      : place.kind === 'stage'
        ? 'Stage'
        : files.find((f) => f.id === place.fileId)?.name;
  return (
    <section className="people-panel" aria-label="People">
      <ul className="people-list" data-testid="people-list">
        {people.map((person) => {
          const where = person.places.map(placeName).filter(Boolean).join(', ');
          const hand = hands.ids.indexOf(person.user.id);
          const handTitle = hands.ordered ? `Hand raised (${ordinal(hand + 1)} in the queue)` : 'Hand raised';
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
                  {where && (
                    <span className="where" data-testid="person-where" title={`In ${where}`}>
                      {where}
                    </span>
                  )}
                  {person.user.id === leaderId && <span className="leading"> · leading</span>}
                </div>
              </div>
              <span className="person-flags">
                {hand >= 0 && (
                  <span className="flag hand" title={handTitle} data-testid="person-hand">
                    <Icon name="hand" size={14} title={handTitle} />
                    {hands.ordered && <span className="hand-place">{hand + 1}</span>}
                  </span>
                )}
                {person.media.screen && (
                  <span
                    className="flag presenting"
                    title="Presenting (sharing their screen)"
                    data-testid="person-presenting"
                  >
                    <Icon name="screen" size={14} title="Presenting" />
                  </span>
                )}
                <span
                  className={person.media.mic ? 'flag on' : 'flag off'}
                  title={person.media.mic ? 'Microphone on' : 'Microphone off'}
                  data-testid="person-mic"
                  data-on={person.media.mic}
                >
                  <Icon name={person.media.mic ? 'mic' : 'micOff'} size={14} />
                </span>
                <span
                  className={person.media.cam ? 'flag on' : 'flag off'}
                  title={person.media.cam ? 'Camera on' : 'Camera off'}
                  data-testid="person-cam"
                  data-on={person.media.cam}
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
