// Running code from the class page: `run({ files, entry, audience })` hands the program to the sandboxed runner
// frame and, on a document this person may write, shares every event through the server's relay (stateless
// messages on the document's connection): with everyone on it for audience 'room', with its staff only for
// 'staff' (staff running a student's workspace from the wall), with nobody for 'self'. Runs others share arrive
// the same way; the output panel shows the latest. The API takes files and an entry file so a page other than
// the editor can run what it holds.
import {
  decodeRunRelay,
  encodeRunPayload,
  type RunAudience,
  type RunEvent,
  runLanguageOf,
} from '@tandem/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocHandle } from '../collab/DocHandle.ts';
import type { RunFile, RunnerLimits } from './frameProtocol.ts';
import { runnerFrame } from './RunnerFrame.ts';
import { applyRunEvent, type RunView, startedView } from './runState.ts';

export interface RunProgram {
  files: RunFile[];
  /** The file to run; its extension picks the language (.py, .js, .ts). */
  entry: string;
  audience: RunAudience;
  stdin: string;
}

export interface Runner {
  view: RunView | null;
  limits: RunnerLimits | null;
  /** Starts a run; a run of this page still going is stopped first. */
  run(program: RunProgram): void;
  stop(): void;
  clear(): void;
}

function newRunId(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

export function useRunner(handle: DocHandle | null, self: { userId: string; name: string }): Runner {
  const [view, setView] = useState<RunView | null>(null);
  const [limits, setLimits] = useState<RunnerLimits | null>(null);
  const viewRef = useRef<RunView | null>(null);
  const update = useCallback((next: (v: RunView | null) => RunView | null) => {
    viewRef.current = next(viewRef.current);
    setView(viewRef.current);
  }, []);

  // Runs shared by others in the room, and the server's refusals of ours.
  useEffect(() => {
    if (!handle) return;
    const onStateless = ({ payload }: { payload: string }) => {
      const relay = decodeRunRelay(payload);
      if (!relay) return;
      if (relay.kind === 'refused') {
        update((v) => (v && v.runId === relay.runId ? { ...v, notShared: relay.reason } : v));
        return;
      }
      const { event, by } = relay;
      if (event.type === 'start') {
        // Our own run still going keeps the panel.
        update((v) =>
          v?.own && v.phase !== 'ended' ? v : startedView(event, by, { own: false, shared: true }),
        );
      } else update((v) => applyRunEvent(v, event));
    };
    handle.provider.on('stateless', onStateless);
    return () => {
      handle.provider.off('stateless', onStateless);
    };
  }, [handle, update]);

  const run = useCallback(
    (program: RunProgram) => {
      const language = runLanguageOf(program.entry);
      if (!language) return;
      const current = viewRef.current;
      if (current?.own && current.phase !== 'ended') runnerFrame().stop(current.runId);
      const runId = newRunId();
      const audience = program.audience;
      const shared = audience !== 'self' && handle !== null && handle.writable;
      const share = (event: RunEvent) => {
        if (shared) handle!.provider.sendStateless(encodeRunPayload(event));
      };
      const start: Extract<RunEvent, { type: 'start' }> = {
        type: 'start',
        runId,
        fileName: program.entry,
        language,
        at: Date.now(),
        ...(audience === 'staff' ? { audience } : {}),
      };
      update(() => startedView(start, { id: self.userId, name: self.name }, { own: true, shared }));
      share(start);
      let seq = 0;
      runnerFrame()
        .run({ runId, language, files: program.files, entry: program.entry, stdin: program.stdin }, (m) => {
          if (m.type === 'phase') {
            update((v) => (v?.runId === runId && v.phase !== 'ended' ? { ...v, phase: m.phase } : v));
            return;
          }
          const event: RunEvent =
            m.type === 'output'
              ? { type: 'output', runId, seq: seq++, stream: m.stream, text: m.text }
              : {
                  type: 'exit',
                  runId,
                  outcome: m.outcome,
                  detail: m.detail?.slice(0, 500) ?? null,
                  durationMs: Math.round(m.durationMs),
                  truncated: m.truncated,
                };
          update((v) => applyRunEvent(v, event));
          share(event);
        })
        .then(setLimits, (error: unknown) => {
          const exit: RunEvent = {
            type: 'exit',
            runId,
            outcome: 'crashed',
            detail: error instanceof Error ? error.message : String(error),
            durationMs: 0,
            truncated: false,
          };
          update((v) => applyRunEvent(v, exit));
          share(exit);
        });
    },
    [handle, self.userId, self.name, update],
  );

  // A page (or editor) that goes away stops its own run: nobody would see the rest of it.
  useEffect(
    () => () => {
      const current = viewRef.current;
      if (current?.own && current.phase !== 'ended') runnerFrame().stop(current.runId);
    },
    [],
  );

  const stop = useCallback(() => {
    const current = viewRef.current;
    if (current?.own && current.phase !== 'ended') runnerFrame().stop(current.runId);
  }, []);

  const clear = useCallback(() => update((v) => (v && v.phase !== 'ended' ? v : null)), [update]);

  return { view, limits, run, stop, clear };
}
