// The Monaco editor for one code document: shows the chosen file, keeps a bound model per opened file,
// publishes our file, selection and scroll position to awareness, draws other people's cursors, and maps
// undo/redo to our own edits only.
import type { CodeFile, Theme } from '@tandem/shared';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { setPresence } from '../collab/useCollab.ts';
import type { Peer } from '../presence/peerState.ts';
import { FileBinding, selectionForAwareness } from './FileBinding.ts';
import { type MonacoEditor, monaco } from './monaco.ts';
import { RemoteCursorLayer, resolveCursors } from './remoteCursors.ts';

export interface CodeEditorApi {
  scrollTo(top: number): void;
  scrollTop(): number;
  focus(): void;
  /** The Monaco editor (for decorations drawn by other modules), or null before it exists. */
  editor(): MonacoEditor | null;
}

export interface CodeEditorProps {
  files: readonly CodeFile[];
  fileId: string | null;
  awareness: Awareness;
  peers: readonly Peer[];
  readOnly: boolean;
  readOnlyReason: string;
  theme: Theme;
  /** Called when the person scrolls or clicks on their own (so a follow can end). */
  onUserNavigate?: () => void;
}

const SCROLL_PUBLISH_MS = 120;

export const CodeEditor = forwardRef<CodeEditorApi, CodeEditorProps>(function CodeEditor(props, ref) {
  const { files, fileId, awareness, peers, readOnly, readOnlyReason, theme, onUserNavigate } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoEditor | null>(null);
  const cursorsRef = useRef<RemoteCursorLayer | null>(null);
  const bindingsRef = useRef(new Map<string, FileBinding>());
  const currentRef = useRef<FileBinding | null>(null);
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const navigateRef = useRef(onUserNavigate);
  navigateRef.current = onUserNavigate;

  // Create the editor once.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const editor = monaco.editor.create(container, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 14,
      scrollBeyondLastLine: false,
      tabSize: 4,
      renderWhitespace: 'selection',
      fixedOverflowWidgets: true,
      ariaLabel: 'Shared code editor',
    });
    editorRef.current = editor;
    cursorsRef.current = new RemoteCursorLayer(monaco, editor);
    // A read-only connection would drop the change (and strand it locally): no undo while read-only.
    const undo = () => readOnlyRef.current || currentRef.current?.undoManager.undo();
    const redo = () => readOnlyRef.current || currentRef.current?.undoManager.redo();
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyZ, undo);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyZ, redo);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyY, redo);

    const selectionSub = editor.onDidChangeCursorSelection((e) => {
      const binding = currentRef.current;
      if (!binding) return;
      setPresence(awarenessRef.current, {
        selection: selectionForAwareness(binding.ytext, binding.model, e.selection),
      });
    });
    // Only the person's own gestures end a follow; scroll changes caused by edits or followers do not.
    const userNavigate = () => navigateRef.current?.();
    const gestureSubs = [editor.onMouseDown(userNavigate), editor.onKeyDown(userNavigate)];
    container.addEventListener('wheel', userNavigate, { passive: true });
    let scrollTimer: ReturnType<typeof setTimeout> | undefined;
    const scrollSub = editor.onDidScrollChange((e) => {
      if (!e.scrollTopChanged || scrollTimer) return;
      scrollTimer = setTimeout(() => {
        scrollTimer = undefined;
        const line = editor.getVisibleRanges()[0]?.startLineNumber ?? 1;
        setPresence(awarenessRef.current, { scroll: { top: editor.getScrollTop(), line } });
      }, SCROLL_PUBLISH_MS);
    });
    const bindings = bindingsRef.current;
    return () => {
      clearTimeout(scrollTimer);
      selectionSub.dispose();
      for (const sub of gestureSubs) sub.dispose();
      container.removeEventListener('wheel', userNavigate);
      scrollSub.dispose();
      cursorsRef.current?.dispose();
      for (const binding of bindings.values()) binding.dispose();
      bindings.clear();
      currentRef.current = null;
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  const awarenessRef = useRef(awareness);
  awarenessRef.current = awareness;

  // Keep one binding per file that still exists; follow renames.
  useEffect(() => {
    const bindings = bindingsRef.current;
    const alive = new Map(files.map((f) => [f.id, f]));
    for (const [id, binding] of bindings) {
      const file = alive.get(id);
      if (!file || file.text !== binding.ytext) {
        if (currentRef.current === binding) {
          editorRef.current?.setModel(null);
          currentRef.current = null;
        }
        binding.dispose();
        bindings.delete(id);
      } else binding.setName(file.name);
    }
  }, [files]);

  // Show the chosen file.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const file = files.find((f) => f.id === fileId) ?? null;
    const previous = currentRef.current;
    if (previous?.fileId === file?.id && previous?.ytext === file?.text) return;
    if (previous) previous.viewState = editor.saveViewState();
    if (!file) {
      editor.setModel(null);
      currentRef.current = null;
      setPresence(awareness, { file: null, selection: null });
      return;
    }
    let binding = bindingsRef.current.get(file.id);
    if (!binding) {
      binding = new FileBinding(file.id, file.text, file.name, editor);
      bindingsRef.current.set(file.id, binding);
    }
    currentRef.current = binding;
    editor.setModel(binding.model);
    if (binding.viewState) editor.restoreViewState(binding.viewState);
    const selection = editor.getSelection();
    setPresence(awareness, {
      file: file.id,
      selection: selection ? selectionForAwareness(binding.ytext, binding.model, selection) : null,
    });
  }, [files, fileId, awareness]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly, readOnlyMessage: { value: readOnlyReason } });
  }, [readOnly, readOnlyReason]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  // Other people's cursors in this file (positions are resolved again whenever awareness changes).
  useEffect(() => {
    const binding = currentRef.current;
    const layer = cursorsRef.current;
    if (!layer) return;
    if (!binding) return layer.clear();
    layer.render(resolveCursors(peers, binding.fileId, binding.ytext));
  });

  useImperativeHandle(
    ref,
    () => ({
      scrollTo(top) {
        editorRef.current?.setScrollTop(top, monaco.editor.ScrollType.Immediate);
      },
      scrollTop: () => editorRef.current?.getScrollTop() ?? 0,
      focus: () => editorRef.current?.focus(),
      editor: () => editorRef.current,
    }),
    [],
  );

  return <div className="code-editor" ref={containerRef} data-testid="code-editor" />;
});
