// The polls REST API from the page, over the class's REST client (its token and error handling).
import type { PollAnswersBody, PollDefinition, PollReply, PollsReply } from '@tandem/shared';
import type { ClassroomApi } from '../classroom/api.ts';

const poll = (id: string) => `/api/polls/${encodeURIComponent(id)}`;

export class PollsApi {
  constructor(private readonly api: ClassroomApi) {}

  list = () =>
    this.api.request<PollsReply>('GET', `/api/classes/${encodeURIComponent(this.api.classId)}/polls`);
  create = (definition: PollDefinition, launch: boolean) =>
    this.api.request<PollReply>('POST', `/api/classes/${encodeURIComponent(this.api.classId)}/polls`, {
      definition,
      launch,
    });
  update = (id: string, definition: PollDefinition) =>
    this.api.request<PollReply>('PUT', poll(id), { definition });
  launch = (id: string) => this.api.request<PollReply>('POST', `${poll(id)}/launch`);
  close = (id: string) => this.api.request<PollReply>('POST', `${poll(id)}/close`);
  show = (id: string, shown: boolean) => this.api.request<PollReply>('POST', `${poll(id)}/show`, { shown });
  remove = (id: string) => this.api.request<{ deleted: string }>('DELETE', poll(id));
  answer = (id: string, body: PollAnswersBody) =>
    this.api.request<PollReply>('PUT', `${poll(id)}/answers`, body);
  mark = (id: string, question: number, userId: string, correct: boolean | null) =>
    this.api.request<PollReply>('PUT', `${poll(id)}/marks`, { question, userId, correct });
}
