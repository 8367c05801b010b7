// The exercises and workspaces REST API from the browser, over the page's classroom API client.
import type { Handout, HandoutBody, HandoutReply, OpenWorkspaceReply, WorkspacesReply } from '@tandem/shared';
import type { ClassroomApi } from '../classroom/api.ts';

const base = (api: ClassroomApi) => `/api/classes/${encodeURIComponent(api.classId)}`;
const ws = (api: ClassroomApi, userId: string) => `${base(api)}/workspaces/${encodeURIComponent(userId)}`;

export const workspaceApi = {
  handout: (api: ClassroomApi) => api.request<{ handout: Handout | null }>('GET', `${base(api)}/handout`),
  handOut: (api: ClassroomApi, body: HandoutBody) =>
    api.request<HandoutReply>('POST', `${base(api)}/handout`, body),
  list: (api: ClassroomApi) => api.request<WorkspacesReply>('GET', `${base(api)}/workspaces`),
  open: (api: ClassroomApi, userId: string) =>
    api.request<OpenWorkspaceReply>('POST', `${ws(api, userId)}/open`),
  reset: (api: ClassroomApi, userId: string) =>
    api.request<{ revision: number; saved: boolean }>('POST', `${ws(api, userId)}/reset`),
};
