// The `handouts` row as both engines return it, and its mapping to the API's Handout.
import type { Handout, StarterFile } from '@tandem/shared';

export interface HandoutRow {
  class_id: string;
  revision: number;
  files: string;
  created_by: string;
  created_at: number;
}

export const toHandout = (r: HandoutRow): Handout => ({
  classId: r.class_id,
  revision: Number(r.revision),
  files: JSON.parse(r.files) as StarterFile[],
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
});
