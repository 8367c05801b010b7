// REST cases: every route of the API (and the health, static and dev routes) as a raw HTTP/1.1 request,
// with mutated path parameters (bad percent-escapes, overlong, `__proto__`), query strings, headers
// (credentials, content type, lengths that lie) and JSON bodies (mutated valid bodies, huge, deep).
import type { HttpCase } from '../cases.ts';
import { describeWho, OTHER_CLASS, pickWho, WITNESS_CLASS } from '../identities.ts';
import { damageText, mutateJson } from '../mutate.ts';
import type { Rng } from '../prng.ts';
import type { CaseGenerator } from './env.ts';

type Json = Parameters<typeof mutateJson>[1];

/** Every route the server installs (server/src/**Routes.ts, http/health.ts, http/static.ts) and a valid body. */
const ROUTES: [method: string, path: string, body?: Json][] = [
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/metrics'],
  ['GET', '/api/media/status'],
  ['POST', '/api/dev/token', { sub: 'u1', name: 'U', cls: 'class1', role: 'student' }],
  ['GET', '/'],
  ['GET', '/c/:classId'],
  ['GET', '/embed/:classId'],
  ['GET', '/examples/:file'],
  ['POST', '/api/classes', { id: 'fzclass', title: 'Fuzz', maxParticipants: 10 }],
  ['GET', '/api/classes'],
  ['GET', '/api/classes/:classId'],
  ['PATCH', '/api/classes/:classId', { title: 'T', maxParticipants: null }],
  ['DELETE', '/api/classes/:classId'],
  ['GET', '/api/classes/:classId/roster'],
  ['PUT', '/api/classes/:classId/roster', { members: [{ userId: 'fz1', name: 'F', role: 'student' }] }],
  ['PUT', '/api/classes/:classId/roster/:userId', { name: 'F', role: 'student' }],
  ['DELETE', '/api/classes/:classId/roster/:userId'],
  ['GET', '/api/classes/:classId/breakouts'],
  ['POST', '/api/classes/:classId/breakouts', { mode: 'random', groupCount: 2 }],
  ['POST', '/api/classes/:classId/breakouts/close', {}],
  ['POST', '/api/classes/:classId/breakouts/token', { groupId: 'g1' }],
  ['POST', '/api/classes/:classId/breakouts/broadcast', { text: 'hi' }],
  ['GET', '/api/classes/:classId/chat/:room/messages'],
  ['POST', '/api/classes/:classId/chat/:room/messages', { text: 'hello', replyTo: null }],
  ['PATCH', '/api/classes/:classId/chat/:room/messages/:messageId', { text: 'edited' }],
  ['DELETE', '/api/classes/:classId/chat/:room/messages/:messageId'],
  ['PUT', '/api/classes/:classId/chat/:room/messages/:messageId/reactions', { reaction: '👍', on: true }],
  ['GET', '/api/classes/:classId/chat/:room/search'],
  ['GET', '/api/classes/:classId/chat/:room/status'],
  ['PUT', '/api/classes/:classId/chat/:room/read', { seq: 1 }],
  ['PUT', '/api/classes/:classId/chat/:room/slow-mode', { seconds: 5 }],
  ['GET', '/api/classes/:classId/chat/:room/audit'],
  ['PUT', '/api/classes/:classId/chat-mutes/:userId', { muted: true, minutes: 5 }],
  ['GET', '/api/classes/:classId/state'],
  ['GET', '/api/classes/:classId/hands'],
  ['POST', '/api/classes/:classId/hands'],
  ['DELETE', '/api/classes/:classId/hands/:userId'],
  ['DELETE', '/api/classes/:classId/hands'],
  ['PUT', '/api/classes/:classId/locks', { boardLocked: false }],
  ['PUT', '/api/classes/:classId/follow', { on: true }],
  ['PUT', '/api/classes/:classId/spotlight', { userId: null }],
  ['POST', '/api/classes/:classId/mute-all', {}],
  ['POST', '/api/classes/:classId/announcements', { text: 'hi' }],
  ['GET', '/api/classes/:classId/sessions'],
  ['POST', '/api/classes/:classId/sessions', { title: 'S' }],
  ['GET', '/api/sessions/:sessionId'],
  ['POST', '/api/sessions/:sessionId/start'],
  ['POST', '/api/sessions/:sessionId/end', {}],
  ['GET', '/api/sessions/:sessionId/attendance'],
  ['GET', '/api/documents/:classId/:kind/:key/versions'],
  ['POST', '/api/documents/:classId/:kind/:key/versions', { label: 'v1' }],
  ['GET', '/api/documents/:classId/:kind/:key/versions/:id'],
  ['POST', '/api/documents/:classId/:kind/:key/versions/:id/restore'],
  ['GET', '/api/documents/:classId/:kind/:key/history'],
  ['GET', '/api/documents/:classId/:kind/:key/blame'],
  ['GET', '/api/classes/:classId/workspaces/:userId/activity'],
  ['GET', '/api/classes/:classId/workspaces/:userId/export'],
  ['GET', '/api/classes/:classId/workspaces/export'],
  ['GET', '/api/webhooks/deliveries'],
  ['POST', '/api/webhooks/deliveries/:deliveryId/retry'],
  ['GET', '/api/classes/:classId/polls'],
  [
    'POST',
    '/api/classes/:classId/polls',
    {
      definition: {
        title: 'Fuzz',
        kind: 'quiz',
        anonymous: false,
        timerSeconds: null,
        questions: [{ type: 'single', prompt: 'p', options: ['a', 'b'], correct: [0] }],
      },
      launch: true,
    },
  ],
  ['GET', '/api/polls/:pollId'],
  ['PUT', '/api/polls/:pollId/answers', { answers: [{ question: 0, value: { choices: [0] } }] }],
  ['POST', '/api/polls/:pollId/show', { shown: true }],
  ['POST', '/api/polls/:pollId/close'],
  ['GET', '/api/polls/:pollId/results'],
  ['PUT', '/api/polls/:pollId/marks', { question: 0, userId: 'fz1', correct: true }],
  ['GET', '/api/sessions/:sessionId/polls'],
];

const JUNK_SEGMENTS = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%00',
  '%2F',
  '%C0%AF',
  '__proto__',
  'constructor',
  '..',
  '.',
  'a'.repeat(301),
  '%F0%9F%98%80',
  'x%20y',
  '-1',
  '0',
  '1e99',
  '9007199254740993',
];

function segment(rng: Rng, name: string, classId: string): string {
  if (rng.chance(0.15)) return rng.pick(JUNK_SEGMENTS);
  switch (name) {
    case 'classId':
      return classId;
    case 'userId':
      return rng.pick(['fz1', 'wit-ins', 'wit-ast', 'nobody']);
    case 'room':
      return rng.pick(['main', 'main', 'g1', 'nope']);
    case 'messageId':
      // Message ids are not guessable: mostly one the case posts first (see `setup`).
      return rng.pick(['$MSG', '$MSG', '$MSG', '1', 'm1-000000']);
    case 'id':
    case 'sessionId':
      // Low ids exist once anyone has posted or created one.
      return rng.pick(['1', '1', '2', '3', '999999', 'abc']);
    case 'kind':
      return rng.pick(['code', 'board', 'ws', 'chat', 'nope']);
    case 'key':
      return rng.pick(['main', 'fz1', 'wit-ins']);
    case 'file':
      return rng.pick(['basic.html', '../package.json', '%2e%2e%2fpackage.json', 'nope']);
    default:
      return 'x';
  }
}

const QUERIES = [
  '',
  '?q=hello&limit=5',
  '?limit=-1',
  '?limit=1e9&after=-5',
  '?q=&q=x',
  '?__proto__[x]=1',
  '?q=%zz',
  `?q=${'q'.repeat(5000)}`,
  '?after=abc&limit=abc',
  '?a=1&a=2&a=3',
  '?file=main',
  '?gapMinutes=240&bucketMinutes=5&pasteChars=20',
];

export const restCase: CaseGenerator = async (rng, env) => {
  // Routes with bodies twice as often: that is where mutated JSON reaches a handler.
  const [method0, template, body0] = rng.chance(0.5)
    ? rng.pick(ROUTES.filter((r) => r[2] !== undefined))
    : rng.pick(ROUTES);
  // Students of the witness class are who can reach most handlers (staff of another class reach the rest).
  const who = rng.chance(0.3)
    ? { kind: 'user' as const, sub: `fz${rng.int(0, 499)}`, role: 'student' as const, cls: WITNESS_CLASS }
    : await pickWho(rng, env.mint);
  const token = await env.mint.tokenOf(who);
  const classId = who.kind === 'user' ? who.cls : rng.pick([WITNESS_CLASS, OTHER_CLASS]);
  const how: string[] = [`${method0} ${template}`, describeWho(who)];
  const path = template.replace(/:(\w+)/g, (_m, name: string) => segment(rng, name, classId));
  let method = method0;
  if (rng.chance(0.05)) {
    method = rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'get']);
    how.push(`method ${method}`);
  }
  const query = rng.chance(0.3) ? rng.pick(QUERIES) : '';
  let body = '';
  if (body0 !== undefined || rng.chance(0.1)) {
    const choice = rng.weighted<string>([
      [3, 'valid'],
      [6, 'mutated'],
      [1, 'damaged'],
      [1, 'huge'],
    ]);
    if (choice === 'valid') body = JSON.stringify(body0 ?? {});
    else if (choice === 'mutated') {
      const m = mutateJson(rng, body0 ?? {});
      body = m.text;
      how.push(`body ${m.how}`);
    } else if (choice === 'damaged') {
      const d = damageText(rng, JSON.stringify(body0 ?? {}));
      body = d.text;
      how.push(`body ${d.how}`);
    } else {
      body = rng.pick([
        `{"text":"${'h'.repeat(600_000)}"}`,
        '['.repeat(50_000) + ']'.repeat(50_000),
        `{"members":[${Array.from({ length: 6000 }, (_, i) => `{"userId":"u${i}","name":"n","role":"student"}`).join(',')}]}`,
      ]);
      how.push(`huge body ${body.length} bytes`);
    }
  }
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  const headers: string[] = ['Host: 127.0.0.1'];
  if (token || rng.chance(0.1)) {
    const auth = rng.weighted<string>([
      [9, `Bearer ${token}`],
      [1, rng.pick(['Bearer', `Basic ${token}`, `bearer  ${token}  `, `Bearer ${token}, Bearer x`])],
    ]);
    headers.push(`Authorization: ${auth}`);
  }
  if (body)
    headers.push(
      `Content-Type: ${rng.chance(0.9) ? 'application/json' : rng.pick(['text/plain', 'application/json; charset=latin1', ''])}`,
    );
  let length = String(bodyBytes);
  const headerMutation = rng.weighted<string>([
    [30, 'none'],
    [1, 'lengthShort'],
    [1, 'lengthNaN'],
    [1, 'doubleLength'],
    [1, 'chunkedBroken'],
    [1, 'hugeHeader'],
    [1, 'manyHeaders'],
    [0.25, 'lengthLie'],
  ]);
  if (headerMutation !== 'none') how.push(`headers ${headerMutation}`);
  if (headerMutation === 'lengthShort') length = String(Math.max(0, bodyBytes - rng.int(1, 5)));
  if (headerMutation === 'lengthNaN') length = rng.pick(['-1', 'abc', '1e3', '99999999999999999999']);
  if (headerMutation === 'lengthLie') length = String(bodyBytes + rng.int(1, 100));
  if (headerMutation === 'chunkedBroken') headers.push('Transfer-Encoding: chunked');
  else headers.push(`Content-Length: ${length}`);
  if (headerMutation === 'doubleLength') headers.push(`Content-Length: ${bodyBytes + 1}`);
  if (headerMutation === 'hugeHeader') headers.push(`X-Junk: ${'j'.repeat(rng.pick([9000, 20_000]))}`);
  if (headerMutation === 'manyHeaders') for (let i = 0; i < 2100; i++) headers.push(`X-H${i}: 1`);
  headers.push('Connection: close');
  const payload = headerMutation === 'chunkedBroken' ? `zz\r\n${body}\r\n0\r\n\r\n` : body;
  const raw = Buffer.from(
    `${method} ${path}${query} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${payload}`,
    'utf8',
  ).toString('latin1');
  const chat = /^\/api\/classes\/([^/]+)\/chat\/([^/]+)\/messages\/\$MSG/.exec(path);
  const setup =
    chat && token
      ? {
          method: 'POST',
          path: `/api/classes/${chat[1]}/chat/${chat[2]}/messages`,
          body: { text: 'fuzz' },
          token,
        }
      : undefined;
  const c: HttpCase = {
    kind: 'http',
    target: 'rest',
    raw,
    how: how.join('; '),
    ...(headerMutation === 'lengthLie' ? { incomplete: true } : {}),
    ...(setup ? { setup } : {}),
  };
  return c;
};
