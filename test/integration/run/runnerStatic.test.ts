// The runner's files over HTTP: /runner.html with its own CSP (sandboxed, wasm allowed) and its settings,
// Pyodide from the npm package under a versioned path with CORS for the runner's opaque origin (and only the
// listed files), while the class page and the app's assets keep their headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPyodide } from '../../../server/src/run/runnerStatic.ts';
import { ensureClientBuilt } from '../../e2e/helpers/buildClient.ts';
import { startTestServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
const pyodide = findPyodide();

beforeAll(async () => {
  await ensureClientBuilt();
  server = await startTestServer({ RUN_TIME_LIMIT_SECONDS: '7', RUN_MAX_OUTPUT_BYTES: '65536' });
}, 200_000);
afterAll(async () => {
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.httpUrl}${path}`, { headers });

describe('runner files', () => {
  it('serves /runner.html with its own sandboxing CSP and the configured limits', async () => {
    const res = await get('/runner.html');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain('sandbox allow-scripts');
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('allow-same-origin');
    const html = await res.text();
    const meta = /<meta name="tandem-runner" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(JSON.parse(meta.replaceAll('&#34;', '"'))).toEqual({
      timeLimitMs: 7000,
      maxOutputBytes: 65536,
      pyodidePath: `/runner/pyodide/${pyodide?.version}/`,
    });
    // Its script is served cross-origin-readable from /runner/.
    const script = /src="(\/runner\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const js = await get(script!, { origin: 'null' });
    expect(js.status).toBe(200);
    expect(js.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves Pyodide from the npm package under its version, with CORS, and nothing else of the package', async () => {
    expect(pyodide).not.toBeNull();
    const base = `/runner/pyodide/${pyodide!.version}`;
    for (const file of ['pyodide.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']) {
      const res = await get(`${base}/${file}`, { origin: 'null' });
      expect(res.status, file).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      await res.arrayBuffer();
    }
    const wasm = await get(`${base}/pyodide.asm.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('cache-control')).toContain('immutable');
    await wasm.arrayBuffer();
    for (const path of [
      `${base}/package.json`,
      `${base}/console.html`,
      '/runner/pyodide/0.0.1/pyodide.mjs',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      await res.text();
    }
  });

  it('leaves the class page and the app assets as they were: strict CSP, no CORS', async () => {
    const page = await get('/c/class1');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('wasm-unsafe-eval');
    expect(csp).toContain("script-src 'self'");
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const res = await get(asset!, { origin: 'null' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await res.arrayBuffer();
  });
});
