// Node's `http` module, loaded through require() rather than an ES import. Node builds the namespace of an
// ES import of a built-in module from all of its exports, and `node:http` exports WebSocket, CloseEvent and
// MessageEvent, whose getters load Node's built-in fetch (undici): 2.3 MiB of heap in every process that
// never uses it (docs/benchmarks.md, idle memory). Through require() those getters run only when read.
import { createRequire } from 'node:module';

const http: typeof import('node:http') = createRequire(import.meta.url)('node:http');

export default http;
