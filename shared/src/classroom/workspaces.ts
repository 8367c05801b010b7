// Exercises and personal workspaces: the REST bodies and replies for handing out starter code, resetting a
// student's workspace and listing the class's workspaces for the instructor's wall.
import * as v from 'valibot';
import { MAX_FILE_NAME_LENGTH } from '../docSchema.ts';
import { idSchema } from '../ids.ts';

/** Files one handout may carry, and the characters of one file and of all of them together. */
export const HANDOUT_MAX_FILES = 20;
export const HANDOUT_MAX_FILE_CHARS = 100_000;
export const HANDOUT_MAX_TOTAL_CHARS = 400_000;
/** The request body of a template handout: the files as JSON, with room for escaping. */
export const HANDOUT_MAX_BODY_BYTES = 1024 * 1024;

export const starterFileSchema = v.strictObject({
  id: idSchema,
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(MAX_FILE_NAME_LENGTH)),
  content: v.pipe(v.string(), v.maxLength(HANDOUT_MAX_FILE_CHARS)),
});
export type StarterFile = v.InferOutput<typeof starterFileSchema>;

/**
 * Where the starter comes from: the class code document (all its files, or the chosen `fileIds`), or a
 * template sent with the request. `replace` confirms overwriting work already in students' workspaces (a
 * version of each is saved first); without it the server answers 409 `conflict` when any has work.
 */
export const handoutBodySchema = v.variant('source', [
  v.strictObject({
    source: v.literal('class'),
    fileIds: v.optional(v.pipe(v.array(idSchema), v.minLength(1), v.maxLength(HANDOUT_MAX_FILES))),
    replace: v.optional(v.boolean(), false),
  }),
  v.strictObject({
    source: v.literal('template'),
    files: v.pipe(
      v.array(starterFileSchema),
      v.minLength(1),
      v.maxLength(HANDOUT_MAX_FILES),
      v.check((files) => new Set(files.map((f) => f.id)).size === files.length, 'file ids must be unique'),
      v.check(
        (files) => files.reduce((n, f) => n + f.content.length, 0) <= HANDOUT_MAX_TOTAL_CHARS,
        `a handout holds at most ${HANDOUT_MAX_TOTAL_CHARS} characters in all`,
      ),
    ),
    replace: v.optional(v.boolean(), false),
  }),
]);
export type HandoutBody = v.InferInput<typeof handoutBodySchema>;

/** The starter content of a class: what every student's workspace receives. `revision` counts handouts. */
export interface Handout {
  classId: string;
  revision: number;
  files: StarterFile[];
  createdBy: string;
  createdAt: number;
}

export interface HandoutReply {
  handout: Handout;
  /** Workspaces filled now (students on the roster or present); others receive it on first open. */
  delivered: number;
  /** Of those, the workspaces whose earlier work was saved as a version first. */
  saved: number;
}

/** One student's workspace as the wall lists it. */
export interface WorkspaceSummary {
  userId: string;
  name: string;
  /** The handout revision this workspace last received (0: none). */
  revision: number;
  receivedAt: number | null;
  /** When the student last wrote to their workspace (ms; hand-outs and staff edits do not count), or null. */
  lastEditAt: number | null;
  /** The student is in the class now (any device, any document of the class or its groups). */
  inClass: boolean;
}

export interface WorkspacesReply {
  handout: Handout | null;
  workspaces: WorkspaceSummary[];
}

/** What opening one's workspace did: delivered the current handout (first open) or nothing. */
export interface OpenWorkspaceReply {
  revision: number;
  delivered: boolean;
}
