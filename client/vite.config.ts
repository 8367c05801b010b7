// Builds the browser client into client/dist: everything bundled locally (Monaco and its worker included),
// assets under /assets/ so the server can serve them with long-lived caching.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';

// y-monaco imports Monaco by a path that monaco-editor 0.57's export map no longer exposes; point it at the same
// module the app uses so there is exactly one Monaco instance.
const monacoApi = fileURLToPath(import.meta.resolve('monaco-editor/editor/editor.api.js'));

/** Writes .br and .gz next to each text asset; the server (sirv) sends them to browsers that accept them. */
function precompress(): Plugin {
  return {
    name: 'tandem-precompress',
    apply: 'build',
    closeBundle() {
      const dir = fileURLToPath(new URL('./dist/assets', import.meta.url));
      for (const name of fs.readdirSync(dir)) {
        if (!/\.(js|css|svg|json|ttf)$/.test(name)) continue;
        const file = path.join(dir, name);
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }),
        );
      }
    },
  };
}

/** After the app, builds the sandboxed code runner with its own settings (vite.runner.config.ts). */
function buildRunner(): Plugin {
  return {
    name: 'tandem-runner',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: fileURLToPath(new URL('./vite.runner.config.ts', import.meta.url)),
        logLevel: 'warn',
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), precompress(), buildRunner()],
  resolve: {
    alias: [{ find: /^monaco-editor\/esm\/vs\/editor\/editor\.api(\.js)?$/, replacement: monacoApi }],
    dedupe: ['yjs', 'y-protocols', 'lib0'],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/collab': { target: 'ws://127.0.0.1:8080', ws: true },
      '/media': { target: 'ws://127.0.0.1:8080', ws: true },
      '/api': 'http://127.0.0.1:8080',
    },
  },
});
