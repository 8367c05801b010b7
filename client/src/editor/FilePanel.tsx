// The file list of a code document: open, create, rename and delete files, with who is in which file.
import {
  type CodeFile,
  checkFileName,
  createCodeFile,
  deleteCodeFile,
  languageForFileName,
  nextFreeFileName,
  renameCodeFile,
} from '@tandem/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { Peer } from '../presence/peerState.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/icons.tsx';
import { newId } from '../util/ids.ts';

export interface FilePanelProps {
  doc: Y.Doc;
  files: readonly CodeFile[];
  currentId: string | null;
  peers: readonly Peer[];
  writable: boolean;
  userId: string;
  onOpen(fileId: string): void;
}

type Editing = { mode: 'create' } | { mode: 'rename'; file: CodeFile } | null;

export function FilePanel({ doc, files, currentId, peers, writable, userId, onOpen }: FilePanelProps) {
  const [editing, setEditing] = useState<Editing>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);

  const start = (next: Editing) => {
    setEditing(next);
    setError(null);
    const taken = files.map((f) => f.name);
    setDraft(next?.mode === 'rename' ? next.file.name : nextFreeFileName('untitled.py', taken));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!editing) return;
    const others = files
      .filter((f) => editing.mode !== 'rename' || f.id !== editing.file.id)
      .map((f) => f.name);
    const check = checkFileName(draft, others);
    if (!check.ok) return setError(check.reason);
    if (editing.mode === 'create') {
      const id = newId();
      createCodeFile(doc, { id, name: check.name, createdBy: userId });
      onOpen(id);
    } else renameCodeFile(doc, editing.file.id, check.name);
    setEditing(null);
  };

  const remove = (file: CodeFile) => {
    if (window.confirm(`Delete "${file.name}" for everyone in the class?`)) deleteCodeFile(doc, file.id);
  };

  return (
    <nav className="file-panel" aria-label="Files">
      <div className="panel-header">
        <h2>Files</h2>
        {writable && (
          <button
            type="button"
            className="icon-button"
            onClick={() => start({ mode: 'create' })}
            title="New file"
            aria-label="New file"
          >
            <Icon name="plus" />
          </button>
        )}
      </div>
      <ul className="file-list">
        {files.map((file) => {
          const here = peers.filter((p) => !p.isSelf && p.file === file.id);
          const isRenaming = editing?.mode === 'rename' && editing.file.id === file.id;
          return (
            <li key={file.id} className={file.id === currentId ? 'file current' : 'file'}>
              {isRenaming ? (
                <FileNameForm
                  draft={draft}
                  setDraft={setDraft}
                  onSubmit={submit}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <button
                  type="button"
                  className="file-open"
                  onClick={() => onOpen(file.id)}
                  onDoubleClick={() => writable && start({ mode: 'rename', file })}
                  title={`${file.name} (${languageForFileName(file.name)})`}
                  data-testid="file-entry"
                >
                  <span className="file-name">{file.name}</span>
                </button>
              )}
              <span className="file-people" title={here.map((p) => p.user.name).join(', ')}>
                {here.slice(0, 3).map((p) => (
                  <Avatar key={p.clientId} name={p.user.name} color={p.color} size="xs" />
                ))}
                {here.length > 3 && <span className="more">+{here.length - 3}</span>}
              </span>
              {writable && !isRenaming && (
                <span className="file-actions">
                  <button
                    type="button"
                    className="icon-button"
                    onClick={() => start({ mode: 'rename', file })}
                    title="Rename"
                  >
                    <Icon name="edit" size={14} />
                  </button>
                  <button type="button" className="icon-button" onClick={() => remove(file)} title="Delete">
                    <Icon name="close" size={14} />
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {editing?.mode === 'create' && (
        <FileNameForm draft={draft} setDraft={setDraft} onSubmit={submit} onCancel={() => setEditing(null)} />
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </nav>
  );
}

function FileNameForm(props: {
  draft: string;
  setDraft(v: string): void;
  onSubmit(e: FormEvent): void;
  onCancel(): void;
}) {
  const field = useRef<HTMLInputElement>(null);
  // Focused once it opens, with the name before its extension selected (as editors do): typing replaces
  // "untitled" in "untitled.py", or the old name, and keeps the extension.
  useEffect(() => {
    const input = field.current;
    if (!input) return;
    input.focus();
    const dot = input.value.lastIndexOf('.');
    input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
  }, []);
  return (
    <form className="file-name-form" onSubmit={props.onSubmit}>
      <input
        ref={field}
        aria-label="File name"
        value={props.draft}
        maxLength={100}
        onChange={(e) => props.setDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
      />
    </form>
  );
}
