// A seam for extra actions on the wall's open tile: the tile open full size, as a document handle and its
// files, handed to whatever extra actions the wall is given. (Running the student's code needs none: the open
// tile's editor has a Run button for staff only, WallDetail.tsx.)
import { listCodeFiles } from '@tandem/shared';
import type { ReactNode } from 'react';
import type { DocHandle } from '../collab/DocHandle.ts';

export interface OpenTile {
  userId: string;
  name: string;
  /** `<classId>/ws/<userId>` */
  documentName: string;
  handle: DocHandle;
  /** The workspace's files as they are now. */
  files(): { id: string; name: string; content: string }[];
}

/** Renders extra buttons in the open tile's toolbar. */
export type OpenTileActions = (tile: OpenTile) => ReactNode;

export function openTileOf(userId: string, name: string, handle: DocHandle): OpenTile {
  return {
    userId,
    name,
    documentName: handle.name,
    handle,
    files: () =>
      listCodeFiles(handle.doc).map((f) => ({ id: f.id, name: f.name, content: f.text.toString() })),
  };
}
