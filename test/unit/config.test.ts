import { describe, expect, it } from 'vitest';
import { ConfigError, frameCapBytes, loadConfig } from '../../server/src/config.ts';

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
    expect(c.limits).toMatchObject({
      maxMessageBytes: 1024 * 1024,
      messagesPerSec: 100,
      burst: 500,
      maxDocumentsPerSocket: 100,
    });
    expect(c.limits.maxDocumentBytes).toBe(32 * 1024 * 1024);
    expect(c.limits.maxFrameBytes).toBe(4 * 1024 * 1024);
    expect(c.storage).toMatchObject({ databaseUrl: undefined, groupCommitMs: 2 });
    expect(c.media).toMatchObject({ rtcPort: 40000, bindRetryMs: 10_000, viewersPerRouter: 400 });
    expect(Object.isFrozen(c) && Object.isFrozen(c.limits)).toBe(true);
  });

  it('reads frames a few times MAX_MESSAGE_BYTES (to refuse them as data), never more than 16 MiB above it', () => {
    const MiB = 1024 * 1024;
    expect(loadConfig({ MAX_MESSAGE_BYTES: '4096' }).limits.maxFrameBytes).toBe(16_384);
    expect(frameCapBytes(MiB)).toBe(4 * MiB);
    expect(frameCapBytes(64 * MiB)).toBe(80 * MiB);
  });

  it('parses every setting and lets PORT=0 pick a free port', () => {
    const c = loadConfig({
      PORT: '0',
      DEMO: '1',
      API_KEYS: 'a, b,,',
      EMBED_ORIGINS: 'https://lms.example',
      MEDIA_WORKERS: '2',
      MAX_DOCUMENT_BYTES: '1000000',
      DATABASE_URL: 'postgres://tandem@db.internal:5432/tandem',
      GROUP_COMMIT_MS: '5',
      RTC_BIND_RETRY_MS: '0',
      MEDIA_VIEWERS_PER_ROUTER: '2',
    });
    expect(c.storage.databaseUrl).toBe('postgres://tandem@db.internal:5432/tandem');
    expect(c.storage.groupCommitMs).toBe(5);
    expect(c.port).toBe(0);
    expect(c.devTokens).toBe(true);
    expect(c.apiKeys).toEqual(['a', 'b']);
    expect(c.embedOrigins).toEqual(['https://lms.example']);
    expect(c.media.workers).toBe(2);
    expect(c.media.bindRetryMs).toBe(0);
    expect(c.media.viewersPerRouter).toBe(2);
    expect(c.limits.maxDocumentBytes).toBe(1_000_000);
  });

  it('has limits and deadlines in seconds that admit a school behind one address', () => {
    const c = loadConfig({});
    expect(c.network).toEqual({
      trustedProxies: [],
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      authTimeoutMs: 10_000,
      authFailureBurst: 100,
      authFailuresPerMin: 60,
    });
    expect(c.limits).toMatchObject({
      maxSocketsPerAddress: 3000,
      maxSocketsPerUser: 32,
      userMessagesPerSec: 600,
      userBurst: 3000,
      addressMessagesPerSec: 20_000,
      addressBurst: 100_000,
    });
    const set = loadConfig({
      TRUSTED_PROXIES: '10.0.0.0/8, ::1,192.168.1.5/32,fd00::/8',
      HEADERS_TIMEOUT_MS: '500',
      BODY_TIMEOUT_MS: '600',
      AUTH_TIMEOUT_MS: '700',
      AUTH_FAILURE_BURST: '5',
      AUTH_FAILURES_PER_MIN: '2',
      MAX_SOCKETS_PER_ADDRESS: '10',
      MAX_SOCKETS_PER_USER: '3',
      MAX_DOCUMENTS_PER_SOCKET: '12',
      USER_RATE_LIMIT_MESSAGES_PER_SEC: '7',
      USER_RATE_LIMIT_BURST: '8',
      ADDRESS_RATE_LIMIT_MESSAGES_PER_SEC: '9',
      ADDRESS_RATE_LIMIT_BURST: '11',
    });
    expect(set.network).toEqual({
      trustedProxies: ['10.0.0.0/8', '::1', '192.168.1.5/32', 'fd00::/8'],
      headersTimeoutMs: 500,
      bodyTimeoutMs: 600,
      authTimeoutMs: 700,
      authFailureBurst: 5,
      authFailuresPerMin: 2,
    });
    expect(set.limits).toMatchObject({
      maxSocketsPerAddress: 10,
      maxSocketsPerUser: 3,
      maxDocumentsPerSocket: 12,
      userMessagesPerSec: 7,
      userBurst: 8,
      addressMessagesPerSec: 9,
      addressBurst: 11,
    });
  });

  it.each([
    [{ TRUSTED_PROXIES: 'proxy.local' }, 'invalid TRUSTED_PROXIES: must be IP addresses or CIDR ranges'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'invalid TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/8/1' }, 'invalid TRUSTED_PROXIES'],
    [{ HEADERS_TIMEOUT_MS: '600000' }, 'invalid HEADERS_TIMEOUT_MS'],
    [{ AUTH_TIMEOUT_MS: '0' }, 'invalid AUTH_TIMEOUT_MS'],
    [{ MAX_SOCKETS_PER_ADDRESS: '0' }, 'invalid MAX_SOCKETS_PER_ADDRESS'],
  ])('%o → %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    [{ PORT: '70000' }, 'invalid PORT'],
    [{ LOG_LEVEL: 'loud' }, 'invalid LOG_LEVEL'],
    [{ AUTH_SECRET: 'short' }, 'invalid AUTH_SECRET: must be at least 32 characters'],
    [{ AUTH_PUBLIC_KEY: 'nope' }, 'invalid AUTH_PUBLIC_KEY: must be a PEM public key'],
    [{ MAX_MESSAGE_BYTES: '-1' }, 'invalid MAX_MESSAGE_BYTES'],
    [{ MAX_DOCUMENTS_PER_SOCKET: '0' }, 'invalid MAX_DOCUMENTS_PER_SOCKET'],
    [{ MAX_DOCUMENT_BYTES: '0' }, 'invalid MAX_DOCUMENT_BYTES'],
    [{ DEMO: 'maybe' }, 'invalid DEMO'],
    [{ DATABASE_URL: 'mysql://x' }, 'invalid DATABASE_URL: must be a postgres:// URL'],
    [{ GROUP_COMMIT_MS: '500' }, 'invalid GROUP_COMMIT_MS'],
    [
      { MEDIA_VIEWERS_PER_ROUTER: '0' },
      'invalid MEDIA_VIEWERS_PER_ROUTER: must be a whole number of viewers',
    ],
    [{ MEDIA_VIEWERS_PER_ROUTER: 'many' }, 'invalid MEDIA_VIEWERS_PER_ROUTER'],
    [{ MEDIA_VIEWERS_PER_ROUTER: '2.5' }, 'invalid MEDIA_VIEWERS_PER_ROUTER'],
    [{ PRESENCE_MERGE_MS: '5000' }, 'invalid PRESENCE_MERGE_MS'],
    [{ PRESENCE_MAX_STATE_BYTES: '10' }, 'invalid PRESENCE_MAX_STATE_BYTES'],
    [{ PRESENCE_UPDATES_PER_SEC: '0' }, 'invalid PRESENCE_UPDATES_PER_SEC'],
    [{ WEBHOOK_URL: 'ftp://lms.example/hook' }, 'invalid WEBHOOK_URL: must be http:// or https:// URLs'],
    [{ WEBHOOK_URL: 'https://lms.example/hook, nope' }, 'invalid WEBHOOK_URL'],
    [{ WEBHOOK_URL: 'https://user:pw@lms.example/hook' }, 'invalid WEBHOOK_URL'],
    [{ WEBHOOK_URL: 'https://lms.example/hook' }, 'invalid WEBHOOK_SECRET: required when WEBHOOK_URL is set'],
    [{ WEBHOOK_SECRET: 'short' }, 'invalid WEBHOOK_SECRET: must be at least 32 characters'],
    [{ WEBHOOK_TIMEOUT_MS: '10' }, 'invalid WEBHOOK_TIMEOUT_MS'],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, 'invalid WEBHOOK_MAX_ATTEMPTS'],
    [{ WEBHOOK_RETRY_BASE_MS: '1' }, 'invalid WEBHOOK_RETRY_BASE_MS'],
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

  it('webhooks: off by default; one or several URLs with a secret of at least 32 characters', () => {
    expect(loadConfig({}).webhooks).toEqual({
      urls: [],
      secret: undefined,
      timeoutMs: 10_000,
      maxAttempts: 8,
      retryBaseMs: 60_000,
    });
    const secret = 'x'.repeat(32);
    const c = loadConfig({
      WEBHOOK_URL: 'https://lms.example/tandem, http://10.0.0.5:8000/hook?k=1',
      WEBHOOK_SECRET: secret,
      WEBHOOK_TIMEOUT_MS: '100',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_BASE_MS: '100',
    });
    expect(c.webhooks).toEqual({
      urls: ['https://lms.example/tandem', 'http://10.0.0.5:8000/hook?k=1'],
      secret,
      timeoutMs: 100,
      maxAttempts: 3,
      retryBaseMs: 100,
    });
  });

  describe('cluster', () => {
    const node = {
      DATABASE_URL: 'postgres://tandem@db.internal:5432/tandem',
      REDIS_URL: 'redis://redis.internal:6379',
      CLUSTER_ADVERTISE_URL: 'http://10.0.0.7:8080/',
      CLUSTER_SECRET: 's'.repeat(32),
      AUTH_SECRET: 'a'.repeat(32),
    };

    it('is off without REDIS_URL, whatever else is set', () => {
      expect(loadConfig({}).cluster).toBeUndefined();
      const { REDIS_URL: _, ...rest } = node;
      expect(loadConfig({ ...rest, NODE_ID: 'a', CLUSTER_LEASE_TTL_MS: '5000' }).cluster).toBeUndefined();
    });

    it('REDIS_URL with DATABASE_URL, an advertise URL and a secret makes a cluster node', () => {
      const c = loadConfig(node, '/srv', () => 'host-1234');
      expect(c.cluster).toEqual({
        redisUrl: 'redis://redis.internal:6379',
        nodeId: 'host-1234',
        advertiseUrl: 'http://10.0.0.7:8080',
        secret: 's'.repeat(32),
        keyPrefix: 'tandem:',
        leaseTtlMs: 10_000,
        renewMs: 3333,
        idleReleaseMs: 60_000,
      });
      const d = loadConfig({
        ...node,
        NODE_ID: 'n1',
        CLUSTER_LEASE_TTL_MS: '3000',
        CLUSTER_RENEW_MS: '1000',
      });
      expect(d.cluster).toMatchObject({ nodeId: 'n1', leaseTtlMs: 3000, renewMs: 1000 });
    });

    it('the default node id is the hostname with a random suffix, different on every start', () => {
      const a = loadConfig(node).cluster?.nodeId ?? '';
      const b = loadConfig(node).cluster?.nodeId ?? '';
      expect(a).toMatch(/^[A-Za-z0-9_.-]+-[0-9a-f]{8}$/);
      expect(a).not.toBe(b);
    });

    it.each([
      [{ REDIS_URL: 'redis://r:6379' }, 'invalid REDIS_URL: a cluster needs DATABASE_URL too'],
      [{ ...node, REDIS_URL: 'http://r' }, 'invalid REDIS_URL: must be a redis:// or rediss:// URL'],
      [
        { ...node, CLUSTER_ADVERTISE_URL: undefined },
        'invalid CLUSTER_ADVERTISE_URL: required when REDIS_URL',
      ],
      [{ ...node, CLUSTER_ADVERTISE_URL: 'http://h:1/x' }, 'invalid CLUSTER_ADVERTISE_URL: must be http(s)'],
      [{ ...node, CLUSTER_SECRET: undefined }, 'invalid CLUSTER_SECRET: required when REDIS_URL is set'],
      [
        { ...node, AUTH_SECRET: undefined },
        'invalid AUTH_SECRET: a cluster node needs AUTH_SECRET, AUTH_PUBLIC_KEY',
      ],
      [{ ...node, CLUSTER_SECRET: 'short' }, 'invalid CLUSTER_SECRET: must be at least 32 characters'],
      [{ ...node, NODE_ID: 'a b' }, 'invalid NODE_ID'],
      [{ ...node, CLUSTER_KEY_PREFIX: 'a b' }, 'invalid CLUSTER_KEY_PREFIX'],
      [{ ...node, CLUSTER_LEASE_TTL_MS: '10' }, 'invalid CLUSTER_LEASE_TTL_MS'],
      [{ ...node, CLUSTER_RENEW_MS: '5000' }, 'invalid CLUSTER_RENEW_MS: must be below half'],
    ])('%o → %s', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});
