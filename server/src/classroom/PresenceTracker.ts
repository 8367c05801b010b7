// Who is in each class right now, merged across devices: every open document connection and media peer of
// a person counts as one device; the person joins with their first device and leaves with their last.
// Breakout rooms count toward their main class (`rootOf`).
import type { Role } from '@tandem/shared';

export interface PresentPerson {
  id: string;
  name: string;
  role: Role;
}

export type PresenceChange = {
  type: 'joined' | 'left';
  rootClassId: string;
  person: PresentPerson;
  at: number;
};

interface Entry {
  person: PresentPerson;
  devices: number;
  /** Devices per actual class id (the main room or a breakout group). */
  byClass: Map<string, number>;
}

export class PresenceTracker {
  private readonly roots = new Map<string, Map<string, Entry>>();
  private readonly listeners = new Set<(change: PresenceChange) => void>();
  /** Root of each class id with devices, fixed while any are connected so a leave matches its join. */
  private readonly rootOfClass = new Map<string, { root: string; devices: number }>();

  constructor(
    private readonly rootOf: (classId: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  onChange(listener: (change: PresenceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(classId: string, person: PresentPerson): void {
    const fixed = this.rootOfClass.get(classId) ?? { root: this.rootOf(classId), devices: 0 };
    fixed.devices++;
    this.rootOfClass.set(classId, fixed);
    const rootClassId = fixed.root;
    const people = this.roots.get(rootClassId) ?? new Map<string, Entry>();
    this.roots.set(rootClassId, people);
    const entry = people.get(person.id) ?? { person, devices: 0, byClass: new Map() };
    people.set(person.id, entry);
    entry.person = person;
    entry.devices++;
    entry.byClass.set(classId, (entry.byClass.get(classId) ?? 0) + 1);
    if (entry.devices === 1) this.emit({ type: 'joined', rootClassId, person, at: this.now() });
  }

  remove(classId: string, personId: string): void {
    const fixed = this.rootOfClass.get(classId);
    if (!fixed) return;
    const rootClassId = fixed.root;
    const people = this.roots.get(rootClassId);
    const entry = people?.get(personId);
    if (!people || !entry?.byClass.has(classId)) return;
    if (--fixed.devices === 0) this.rootOfClass.delete(classId);
    entry.devices--;
    const inClass = (entry.byClass.get(classId) ?? 1) - 1;
    if (inClass > 0) entry.byClass.set(classId, inClass);
    else entry.byClass.delete(classId);
    if (entry.devices > 0) return;
    people.delete(personId);
    if (people.size === 0) this.roots.delete(rootClassId);
    this.emit({ type: 'left', rootClassId, person: entry.person, at: this.now() });
  }

  /** Everyone present in a main class, including those in its breakout rooms. */
  present(rootClassId: string): PresentPerson[] {
    return [...(this.roots.get(rootClassId)?.values() ?? [])].map((e) => e.person);
  }

  isPresent(rootClassId: string, personId: string): boolean {
    return this.roots.get(rootClassId)?.has(personId) ?? false;
  }

  person(rootClassId: string, personId: string): PresentPerson | undefined {
    return this.roots.get(rootClassId)?.get(personId)?.person;
  }

  private emit(change: PresenceChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
