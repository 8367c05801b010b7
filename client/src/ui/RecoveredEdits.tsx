// Edits the server refused, shown to the person who made them: what happened, what to do, and their version of
// each affected file to copy or download (the document itself was reloaded from the server).
import { useSyncExternalStore } from 'react';
import type { CollabSession } from '../collab/CollabSession.ts';
import { describeRefusal, type RecoveredEdit, type RecoveredFile } from '../collab/recoveredEdits.ts';

export function RecoveredEdits({ session }: { session: CollabSession }) {
  const store = session.recovered;
  const entries = useSyncExternalStore(
    (notify) => store.subscribe(notify),
    () => store.entries,
  );
  if (entries.length === 0) return null;
  return (
    <div className="recovered" role="alert" data-testid="recovered-edits">
      {entries.map((entry) => (
        <Entry key={entry.id} entry={entry} onDismiss={() => store.dismiss(entry.id)} />
      ))}
    </div>
  );
}

function Entry({ entry, onDismiss }: { entry: RecoveredEdit; onDismiss: () => void }) {
  return (
    <section className="recovered-entry" data-code={entry.refusal.code}>
      <div className="recovered-head">
        <strong>Some of your edits could not be saved</strong>
        <span className="muted">{new Date(entry.at).toLocaleTimeString()}</span>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <p>{describeRefusal(entry.refusal.code)}</p>
      {entry.files.length > 0 ? (
        <>
          <p>Your version is kept here; copy what you need back into the editor:</p>
          <ul className="recovered-files">
            {entry.files.map((file) => (
              <FileRow key={file.name} file={file} />
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">The server already has everything this device had.</p>
      )}
    </section>
  );
}

function FileRow({ file }: { file: RecoveredFile }) {
  return (
    <li>
      <details>
        <summary>
          <code>{file.name}</code>
          <button
            type="button"
            className="link-button"
            onClick={() => void navigator.clipboard?.writeText(file.text)}
          >
            Copy
          </button>
          <button type="button" className="link-button" onClick={() => download(file)}>
            Download
          </button>
        </summary>
        <pre>{file.text}</pre>
      </details>
    </li>
  );
}

function download(file: RecoveredFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
