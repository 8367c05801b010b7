// REST for document versions and history, authorized like the document itself:
//   GET  /api/documents/<name>/versions            list
//   POST /api/documents/<name>/versions            create { label }
//   GET  /api/documents/<name>/versions/<id>       read (JSON content + base64 Yjs update)
//   POST /api/documents/<name>/versions/<id>/restore  restore as a new update on top
//   GET  /api/documents/<name>/history?after=&limit=  who changed what, when (the update log)
import type { IncomingMessage } from 'node:http';
import { queryNumber } from '@tandem/shared';
import * as v from 'valibot';
import * as Y from 'yjs';
import type { AppContext } from '../app.ts';
import { authenticateRequest, requireDocumentAccess } from '../auth/requestAuth.ts';
import { docToJson, restoreContent } from '../collab/docContent.ts';
import { AppError } from '../errors.ts';
import { parseWith, type RequestContext, readJson, sendJson } from '../http/router.ts';
import { limitKey } from '../net/clientAddress.ts';

const createSchema = v.object({ label: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)) });
const idParam = v.pipe(queryNumber, v.safeInteger(), v.gtValue(0));
const historyQuery = v.object({
  after: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(0)), 0),
  limit: v.optional(v.pipe(queryNumber, v.safeInteger(), v.minValue(1), v.maxValue(1000)), 200),
});

const BASE = '/api/documents/:classId/:kind/:key';

export function installVersionRoutes(ctx: AppContext): void {
  const { router, collab, credentials, clientAddress } = ctx;
  const verifierFor = (req: IncomingMessage) => credentials.forAddress(limitKey(clientAddress(req)));
  const nameOf = ({ params }: RequestContext) => `${params.classId}/${params.kind}/${params.key}`;

  router.on('GET', `${BASE}/versions`, async (rc) => {
    const user = await authenticateRequest(rc.req, verifierFor(rc.req));
    const name = nameOf(rc);
    await requireDocumentAccess(user, name, collab.locks, 'read');
    sendJson(rc.res, 200, { versions: await collab.versions.list(name) });
  });

  router.on('POST', `${BASE}/versions`, async (rc) => {
    const user = await authenticateRequest(rc.req, verifierFor(rc.req));
    const name = nameOf(rc);
    await requireDocumentAccess(user, name, collab.locks, 'write');
    const { label } = parseWith(createSchema, await readJson(rc.req, 4096));
    const { state, seq } = await collab.read(name, (doc) => ({
      state: Y.encodeStateAsUpdate(doc),
      seq: collab.seqOf(name),
    }));
    const version = await collab.versions.create(name, {
      label,
      authorId: user.id,
      authorName: user.name,
      seq,
      state,
    });
    sendJson(rc.res, 201, { version });
  });

  router.on('GET', `${BASE}/versions/:id`, async (rc) => {
    const user = await authenticateRequest(rc.req, verifierFor(rc.req));
    const name = nameOf(rc);
    await requireDocumentAccess(user, name, collab.locks, 'read');
    const found = await collab.versions.get(name, parseWith(idParam, rc.params.id));
    if (!found) throw new AppError('not_found', `no version ${rc.params.id} of ${name}`);
    const { state, ...version } = found;
    sendJson(rc.res, 200, {
      version,
      content: docToJson(state),
      update: Buffer.from(state).toString('base64'),
    });
  });

  router.on('POST', `${BASE}/versions/:id/restore`, async (rc) => {
    const user = await authenticateRequest(rc.req, verifierFor(rc.req));
    const name = nameOf(rc);
    await requireDocumentAccess(user, name, collab.locks, 'write');
    const found = await collab.versions.get(name, parseWith(idParam, rc.params.id));
    if (!found) throw new AppError('not_found', `no version ${rc.params.id} of ${name}`);
    await collab.edit(name, user, (doc) => restoreContent(doc, found.state));
    sendJson(rc.res, 200, { restoredFrom: found.id, seq: await collab.store.currentSeq(name) });
  });

  router.on('GET', `${BASE}/history`, async (rc) => {
    const user = await authenticateRequest(rc.req, verifierFor(rc.req));
    const name = nameOf(rc);
    await requireDocumentAccess(user, name, collab.locks, 'read');
    const { after, limit } = parseWith(historyQuery, Object.fromEntries(rc.query));
    sendJson(rc.res, 200, {
      entries: await collab.store.history(name, after, limit),
      oldestSeq: await collab.store.oldestLoggedSeq(name),
    });
  });
}
