// The version storage contract: named full states of a document, apart from the update log.

export interface VersionInfo {
  id: number;
  label: string;
  authorId: string | null;
  authorName: string | null;
  createdAt: number;
  seq: number;
}

export interface NewVersion {
  label: string;
  authorId: string | null;
  authorName: string | null;
  seq: number;
  state: Uint8Array;
}

export interface VersionStorage {
  create(doc: string, version: NewVersion): Promise<VersionInfo>;
  /** Newest first. */
  list(doc: string, limit?: number): Promise<VersionInfo[]>;
  get(doc: string, id: number): Promise<(VersionInfo & { state: Uint8Array }) | undefined>;
}
