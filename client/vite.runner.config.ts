// Builds the sandboxed code runner (runner.html, client/src/runner/sandbox) into client/dist next to the app:
// its script under /runner/, where the server lets the runner's opaque origin fetch it. A build of its own
// because its worker must be a classic one (iife): Chromium does not start module workers from blob: URLs in
// an opaque origin, and the worker is inlined as a blob: URL (a worker cannot be loaded from another origin).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  worker: { format: 'iife' },
  build: {
    outDir: 'dist',
    // The app's build has just emptied dist; this one adds to it.
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: fileURLToPath(new URL('./runner.html', import.meta.url)),
      output: {
        entryFileNames: 'runner/[name]-[hash].js',
        chunkFileNames: 'runner/[name]-[hash].js',
        assetFileNames: 'runner/[name]-[hash][extname]',
      },
    },
  },
});
