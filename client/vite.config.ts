// Builds the browser client into client/dist: everything bundled locally (Monaco and its worker included),
// assets under /assets/ so the server can serve them with long-lived caching.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// y-monaco imports Monaco by a path that monaco-editor 0.57's export map no longer exposes; point it at the same
// module the app uses so there is exactly one Monaco instance.
const monacoApi = fileURLToPath(import.meta.resolve('monaco-editor/editor/editor.api.js'));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
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
