// Which classes are being recorded right now, as the class state shows it to everyone (late joiners included).
// Written by the recording service (server/src/recording), read by GET /api/classes/<id>/state; in memory,
// because a recording lives in the process that records it.
import type { RecordingIndicator } from '@tandem/shared';

export class RecordingIndicators {
  readonly #byClass = new Map<string, RecordingIndicator>();

  /** `classId` is a main class; its breakout groups are not recorded. */
  of(classId: string): RecordingIndicator | null {
    return this.#byClass.get(classId) ?? null;
  }

  set(classId: string, indicator: RecordingIndicator | null): void {
    if (indicator) this.#byClass.set(classId, indicator);
    else this.#byClass.delete(classId);
  }
}
