// A spotlighted workspace, read-only and live: the server lets the whole class read it while the spotlight
// lasts. Files are shown with the same highlighting as chat code blocks.
import { type DocumentName, languageForFileName, listCodeFiles, type Spotlight } from '@tandem/shared';
import { useEffect, useMemo, useState } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import { useDocHandle } from '../collab/useSession.ts';
import { CodeBlock } from './chat/ChatText.tsx';

export function SpotlightView({
  session,
  spotlight,
  classId,
}: {
  session: CollabSession;
  spotlight: Spotlight;
  classId: string;
}) {
  const name = useMemo<DocumentName>(
    () => ({ classId, kind: 'ws', key: spotlight.user.id }),
    [classId, spotlight.user.id],
  );
  const handle = useDocHandle(session, name, null);
  const [version, setVersion] = useState(0);
  const [fileId, setFileId] = useState<string | null>(null);
  useEffect(() => {
    if (!handle) return;
    const bump = () => setVersion((v) => v + 1);
    handle.doc.on('update', bump);
    return () => handle.doc.off('update', bump);
  }, [handle]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` marks document changes
  const files = useMemo(() => (handle ? listCodeFiles(handle.doc) : []), [handle, version]);
  const file = files.find((f) => f.id === fileId) ?? files[0];
  return (
    <section className="spotlight" aria-label="Spotlight" data-testid="spotlight">
      <div className="panel-header">
        <h3>Spotlight: {spotlight.user.name}</h3>
        {files.length > 1 && (
          <select value={file?.id ?? ''} onChange={(e) => setFileId(e.target.value)} aria-label="File">
            {files.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        )}
      </div>
      {file ? (
        <CodeBlock code={file.text.toString()} lang={languageHint(file.name)} />
      ) : (
        <p className="muted">Nothing in this workspace yet.</p>
      )}
    </section>
  );
}

/** Monaco's language ids mostly match highlight.js's names; the rest fall back to guessing. */
function languageHint(fileName: string): string | null {
  const lang = languageForFileName(fileName);
  return lang === 'plaintext' ? null : lang;
}
