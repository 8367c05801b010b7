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
  /**
   * The actual class id (the main room or a breakout group) of each of the person's devices: their count is the
   * person's devices. A list, not a table per person: most people have one or two devices.
   */
  classes: string[];
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
    const known = people.get(person.id);
    const entry = known ?? { person, classes: [classId] };
    if (known) known.classes.push(classId);
    else people.set(person.id, entry);
    entry.person = person;
    if (entry.classes.length === 1) this.emit({ type: 'joined', rootClassId, person, at: this.now() });
  }

  remove(classId: string, personId: string): void {
    const fixed = this.rootOfClass.get(classId);
    if (!fixed) return;
    const rootClassId = fixed.root;
    const people = this.roots.get(rootClassId);
    const entry = people?.get(personId);
    const device = entry?.classes.indexOf(classId) ?? -1;
    if (!people || !entry || device === -1) return;
    if (--fixed.devices === 0) this.rootOfClass.delete(classId);
    entry.classes.splice(device, 1);
    if (entry.classes.length > 0) return;
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
