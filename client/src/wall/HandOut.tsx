// The wall's hand-out controls: hand out the class code (every file, or the ones ticked) or a template (one
// file typed here and files uploaded, checked against the server's limits first, templateFiles.ts). When
// students' work would be replaced, asks first (a version of each workspace is saved).
import { HANDOUT_MAX_FILE_CHARS, type HandoutBody, listCodeFiles } from '@tandem/shared';
import { useState } from 'react';
import type * as Y from 'yjs';
import { ApiError } from '../classroom/api.ts';
import type { LiveClass } from '../classroom/useLiveClass.ts';
import { workspaceApi } from '../workspaces/workspaceApi.ts';
import { templateFiles } from './templateFiles.ts';

/** An upload larger than this many bytes cannot fit a file's characters: refused without reading it. */
const MAX_UPLOAD_BYTES = HANDOUT_MAX_FILE_CHARS * 4;
/** The file list and the template form open over the wall: one at a time (an exclusive group of <details>). */
const HANDOUT_POPOVERS = 'wall-handout';

export function HandOutButton({
  live,
  classCode,
  onDone,
}: {
  live: LiveClass;
  classCode: Y.Doc | null;
  onDone(): void;
}) {
  /** The hand-out waiting for "Save and replace", with the server's reason. */
  const [asking, setAsking] = useState<{ message: string; body: HandoutBody } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [files, setFiles] = useState<{ id: string; name: string }[]>([]);
  const send = (body: HandoutBody) => {
    setAsking(null);
    workspaceApi.handOut(live.api, body).then(
      (r) => {
        setStatus(
          `Handed out to ${r.delivered} workspace${r.delivered === 1 ? '' : 's'}${r.saved ? ` (${r.saved} saved as versions first)` : ''}.`,
        );
        onDone();
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.code === 'conflict') setAsking({ message: e.message, body });
        else setStatus(e instanceof Error ? e.message : String(e));
      },
    );
  };
  const sendClassCode = () => {
    const chosen = files.filter((f) => !left.has(f.id)).map((f) => f.id);
    const fileIds = left.size > 0 && chosen.length > 0 ? chosen : undefined;
    send({ source: 'class', ...(fileIds ? { fileIds } : {}) });
  };
  return (
    <>
      <button type="button" className="primary" onClick={sendClassCode}>
        Hand out the class code
      </button>
      <details
        className="wall-files"
        name={HANDOUT_POPOVERS}
        data-testid="handout-files"
        onToggle={(e) => {
          if ((e.target as HTMLDetailsElement).open && classCode)
            setFiles(listCodeFiles(classCode).map((f) => ({ id: f.id, name: f.name })));
        }}
      >
        <summary>{left.size > 0 ? 'Some files' : 'All files'}</summary>
        <div className="wall-files-list">
          {files.map((f) => (
            <label key={f.id}>
              <input
                type="checkbox"
                checked={!left.has(f.id)}
                onChange={(e) => {
                  const next = new Set(left);
                  if (e.target.checked) next.delete(f.id);
                  else next.add(f.id);
                  setLeft(next);
                }}
              />
              {f.name}
            </label>
          ))}
        </div>
      </details>
      <TemplateForm onSend={(files) => send({ source: 'template', files })} onError={setStatus} />
      {asking && (
        <div className="wall-confirm" role="alertdialog" aria-label="Replace students' work?">
          <span>{asking.message}</span>
          <button
            type="button"
            className="small-button primary"
            onClick={() => send({ ...asking.body, replace: true })}
          >
            Save and replace
          </button>
          <button type="button" className="small-button" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </div>
      )}
      {status && (
        <span className="muted" role="status" data-testid="handout-status">
          {status}
        </span>
      )}
    </>
  );
}

/** "Hand out a template": one file typed or pasted here, plus any uploaded files. */
function TemplateForm({
  onSend,
  onError,
}: {
  onSend(files: { id: string; name: string; content: string }[]): void;
  onError(message: string): void;
}) {
  const [name, setName] = useState('');
  const [content, setContent] = useState('');
  const [uploaded, setUploaded] = useState<{ name: string; content: string }[]>([]);
  const upload = async (list: FileList | null) => {
    const read: { name: string; content: string }[] = [];
    for (const file of list ?? []) {
      if (file.size > MAX_UPLOAD_BYTES) return onError(`${file.name} is too large for a hand-out.`);
      read.push({ name: file.name, content: await file.text() });
    }
    setUploaded(read);
  };
  const submit = () => {
    const typed = name.trim() || content ? [{ name, content }] : [];
    const checked = templateFiles([...typed, ...uploaded]);
    if ('error' in checked) onError(checked.error);
    else onSend(checked.files);
  };
  return (
    <details className="wall-files" name={HANDOUT_POPOVERS} data-testid="handout-template">
      <summary>Hand out a template</summary>
      <div className="wall-files-list wall-template">
        <input
          type="text"
          placeholder="File name, e.g. main.py"
          aria-label="Template file name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <textarea
          rows={8}
          placeholder="Its content"
          aria-label="Template file content"
          value={content}
          onChange={(e) => setContent(e.target.value)}
        />
        <label>
          Or upload files{' '}
          <input
            type="file"
            multiple
            aria-label="Upload template files"
            onChange={(e) => void upload(e.target.files)}
          />
        </label>
        {uploaded.length > 0 && <span className="muted">{uploaded.map((f) => f.name).join(', ')}</span>}
        <button type="button" className="small-button primary" onClick={submit}>
          Hand out the template
        </button>
      </div>
    </details>
  );
}
