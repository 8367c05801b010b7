// One file of a code document bound to a Monaco model: text sync through y-monaco, and an undo manager that
// only tracks this client's edits (remote edits are never undone by our Ctrl+Z).
import { languageForFileName } from '@tandem/shared';
import { MonacoBinding } from 'y-monaco';
import * as Y from 'yjs';
import { monaco } from './monaco.ts';

export class FileBinding {
  readonly model: monaco.editor.ITextModel;
  readonly undoManager: Y.UndoManager;
  readonly #binding: MonacoBinding;
  /** Scroll offset to restore when the file is shown again. */
  viewState: monaco.editor.ICodeEditorViewState | null = null;

  constructor(
    readonly fileId: string,
    readonly ytext: Y.Text,
    name: string,
    editor: monaco.editor.IStandaloneCodeEditor,
  ) {
    // The document's guid keeps the same file id of two documents on one page (class code and a workspace)
    // apart: Monaco refuses two models with one URI.
    const docId = ytext.doc?.guid ?? 'detached';
    const uri = monaco.Uri.from({
      scheme: 'tandem',
      path: `/${docId}/${fileId}/${encodeURIComponent(name)}`,
    });
    this.model = monaco.editor.createModel(ytext.toString(), languageForFileName(name), uri);
    this.model.setEOL(monaco.editor.EndOfLineSequence.LF);
    // The editor lets y-monaco keep our selection in place across remote edits. No awareness: cursors are
    // drawn by RemoteCursorLayer, which labels them with names.
    this.#binding = new MonacoBinding(ytext, this.model, new Set([editor]));
    // y-monaco writes local edits with the binding itself as the transaction origin.
    this.undoManager = new Y.UndoManager(ytext, {
      trackedOrigins: new Set([this.#binding]),
      captureTimeout: 400,
    });
  }

  /** A rename may change the language; the model (and its undo stack) stay. */
  setName(name: string): void {
    monaco.editor.setModelLanguage(this.model, languageForFileName(name));
  }

  dispose(): void {
    this.undoManager.destroy();
    this.#binding.destroy();
    this.model.dispose();
  }
}

/** Selection as relative positions (survive concurrent edits), in the awareness `selection` field. */
export function selectionForAwareness(
  ytext: Y.Text,
  model: monaco.editor.ITextModel,
  selection: monaco.Selection,
): { anchor: unknown; head: unknown } {
  const anchor = model.getOffsetAt(selection.getSelectionStart());
  const head = model.getOffsetAt(selection.getPosition());
  return {
    anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(ytext, anchor)),
    head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(ytext, head)),
  };
}
