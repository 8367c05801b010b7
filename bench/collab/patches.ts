// What `tandem-patched` can change at runtime (see servers/tandemPatched.ts); diagnosis only.
export const PATCHES = [
  'append-lean',
  'append-per-tick',
  'append-per-5ms',
  'append-off',
  'no-autocheckpoint',
  'no-metrics',
  'no-fold',
  'fold-1s',
  'presence-via-hocuspocus',
] as const;
