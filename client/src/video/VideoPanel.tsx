// Placeholder until the media client lands.
import type { Classroom } from '../app/useClassroom.ts';

export function VideoPanel(_props: { classId: string; room: Classroom; compact: boolean }) {
  return (
    <section className="video-panel" aria-label="Video">
      <p className="muted">Video is not available yet.</p>
    </section>
  );
}
