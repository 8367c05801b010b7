import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.ts';

describe('loadConfig', () => {
  it('has production-safe defaults', () => {
    const c = loadConfig({}, '/srv/tandem');
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/tandem/data',
      demo: false,
      devTokens: false,
    });
    expect(c.limits.maxMessageBytes).toBe(8 * 1024 * 1024);
    expect(c.storage).toMatchObject({ databaseUrl: undefined, groupCommitMs: 2 });
    expect(Object.isFrozen(c) && Object.isFrozen(c.limits)).toBe(true);
  });

  it('parses every setting and lets PORT=0 pick a free port', () => {
    const c = loadConfig({
      PORT: '0',
      DEMO: '1',
      API_KEYS: 'a, b,,',
      EMBED_ORIGINS: 'https://lms.example',
      MEDIA_WORKERS: '2',
      DATABASE_URL: 'postgres://tandem@db.internal:5432/tandem',
      GROUP_COMMIT_MS: '5',
    });
    expect(c.storage.databaseUrl).toBe('postgres://tandem@db.internal:5432/tandem');
    expect(c.storage.groupCommitMs).toBe(5);
    expect(c.port).toBe(0);
    expect(c.devTokens).toBe(true);
    expect(c.apiKeys).toEqual(['a', 'b']);
    expect(c.embedOrigins).toEqual(['https://lms.example']);
    expect(c.media.workers).toBe(2);
  });

  it.each([
    [{ PORT: '70000' }, 'invalid PORT'],
    [{ LOG_LEVEL: 'loud' }, 'invalid LOG_LEVEL'],
    [{ AUTH_SECRET: 'short' }, 'invalid AUTH_SECRET: must be at least 32 characters'],
    [{ AUTH_PUBLIC_KEY: 'nope' }, 'invalid AUTH_PUBLIC_KEY: must be a PEM public key'],
    [{ MAX_MESSAGE_BYTES: '-1' }, 'invalid MAX_MESSAGE_BYTES'],
    [{ DEMO: 'maybe' }, 'invalid DEMO'],
    [{ DATABASE_URL: 'mysql://x' }, 'invalid DATABASE_URL: must be a postgres:// URL'],
    [{ GROUP_COMMIT_MS: '500' }, 'invalid GROUP_COMMIT_MS'],
    [{ PRESENCE_MERGE_MS: '5000' }, 'invalid PRESENCE_MERGE_MS'],
    [{ PRESENCE_MAX_STATE_BYTES: '10' }, 'invalid PRESENCE_MAX_STATE_BYTES'],
    [{ PRESENCE_UPDATES_PER_SEC: '0' }, 'invalid PRESENCE_UPDATES_PER_SEC'],
  ])('%o → %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('presence limits: defaults and overrides', () => {
    expect(loadConfig({}).presence).toEqual({ mergeMs: 50, maxStateBytes: 4096, updatesPerSec: 20 });
    const c = loadConfig({
      PRESENCE_MERGE_MS: '0',
      PRESENCE_MAX_STATE_BYTES: '8192',
      PRESENCE_UPDATES_PER_SEC: '5',
    });
    expect(c.presence).toEqual({ mergeMs: 0, maxStateBytes: 8192, updatesPerSec: 5 });
  });
});
