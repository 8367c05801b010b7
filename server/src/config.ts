// Parses the environment once into a frozen, validated Config. Nothing else reads process.env.
import path from 'node:path';
import { DEFAULT_PUBLISH_POLICY, PUBLISH_POLICIES, type PublishPolicy } from '@tandem/shared';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  RECORDINGS_DIR: z.string().min(1).default('./recordings'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_PUBLIC_KEY: z
    .string()
    .includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' })
    .optional(),
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  DEMO: bool.default(false),
  DEV_TOKENS: bool.optional(),
  API_KEYS: csv.default([]),
  EMBED_ORIGINS: csv.default([]),
  MAX_MESSAGE_BYTES: positiveInt.default(8 * 1024 * 1024),
  RATE_LIMIT_MESSAGES_PER_SEC: positiveInt.default(300),
  RATE_LIMIT_BURST: positiveInt.default(1500),
  PRESENCE_MERGE_MS: z.coerce.number().int().min(0).max(1000).default(50),
  PRESENCE_MAX_STATE_BYTES: z.coerce.number().int().min(256).max(65_536).default(4096),
  PRESENCE_UPDATES_PER_SEC: positiveInt.default(20),
  SNAPSHOT_EVERY_UPDATES: positiveInt.default(500),
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  STORE_DEBOUNCE_MS: z.coerce.number().int().min(0).default(2000),
  UPDATE_LOG_FOLD_MS: z.coerce.number().int().min(1).max(3_600_000).default(250),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    .optional(),
  GROUP_COMMIT_MS: z.coerce.number().int().min(0).max(100).default(2),
  MEDIA_ENABLED: bool.default(true),
  MEDIA_WORKERS: positiveInt.optional(),
  RTC_PORT: port.default(40000),
  RTC_LISTEN_IP: z.string().min(1).default('0.0.0.0'),
  RTC_ANNOUNCED_ADDRESS: z.string().min(1).optional(),
  MEDIA_MAX_PEERS: positiveInt.default(100),
  MEDIA_STUDENT_PUBLISH: z.enum(PUBLISH_POLICIES).default(DEFAULT_PUBLISH_POLICY),
  MEDIA_HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  recordingsDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  auth: {
    secret: string | undefined;
    publicKeyPem: string | undefined;
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string | undefined;
  };
  demo: boolean;
  devTokens: boolean;
  apiKeys: readonly string[];
  embedOrigins: readonly string[];
  limits: {
    maxMessageBytes: number;
    messagesPerSec: number;
    burst: number;
  };
  presence: {
    /** A document's awareness changes are sent together, at most once per this interval. */
    mergeMs: number;
    /** Largest awareness state a client may set (bytes of JSON). */
    maxStateBytes: number;
    /** Awareness updates per connection per second (as many in a burst); extra ones wait, latest wins. */
    updatesPerSec: number;
  };
  storage: {
    snapshotEveryUpdates: number;
    historyRetentionDays: number;
    storeDebounceMs: number;
    /** How long journaled updates may wait before they are folded into the SQLite update log. */
    foldIntervalMs: number;
    /** PostgreSQL holds durable state when set; else SQLite under `dataDir`. */
    databaseUrl: string | undefined;
    /** PostgreSQL: how long the first update of a group commit waits for others. */
    groupCommitMs: number;
  };
  media: {
    enabled: boolean;
    workers: number | undefined;
    rtcPort: number;
    listenIp: string;
    announcedAddress: string | undefined;
    maxPeersPerClass: number;
    /** What students may publish when a class's media opens (staff can change it live). */
    studentPublish: PublishPolicy;
    heartbeatMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Pure: the same env always gives the same Config, or a ConfigError naming the variable. */
export function loadConfig(env: Env, cwd = process.cwd()): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid ${variable}: ${issue.message}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    dataDir: path.resolve(cwd, e.DATA_DIR),
    recordingsDir: path.resolve(cwd, e.RECORDINGS_DIR),
    logLevel: e.LOG_LEVEL,
    auth: {
      secret: e.AUTH_SECRET,
      publicKeyPem: e.AUTH_PUBLIC_KEY,
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
    },
    demo: e.DEMO,
    devTokens: e.DEV_TOKENS ?? e.DEMO,
    apiKeys: e.API_KEYS,
    embedOrigins: e.EMBED_ORIGINS,
    limits: {
      maxMessageBytes: e.MAX_MESSAGE_BYTES,
      messagesPerSec: e.RATE_LIMIT_MESSAGES_PER_SEC,
      burst: e.RATE_LIMIT_BURST,
    },
    presence: {
      mergeMs: e.PRESENCE_MERGE_MS,
      maxStateBytes: e.PRESENCE_MAX_STATE_BYTES,
      updatesPerSec: e.PRESENCE_UPDATES_PER_SEC,
    },
    storage: {
      snapshotEveryUpdates: e.SNAPSHOT_EVERY_UPDATES,
      historyRetentionDays: e.HISTORY_RETENTION_DAYS,
      storeDebounceMs: e.STORE_DEBOUNCE_MS,
      foldIntervalMs: e.UPDATE_LOG_FOLD_MS,
      databaseUrl: e.DATABASE_URL,
      groupCommitMs: e.GROUP_COMMIT_MS,
    },
    media: {
      enabled: e.MEDIA_ENABLED,
      workers: e.MEDIA_WORKERS,
      rtcPort: e.RTC_PORT,
      listenIp: e.RTC_LISTEN_IP,
      announcedAddress: e.RTC_ANNOUNCED_ADDRESS,
      maxPeersPerClass: e.MEDIA_MAX_PEERS,
      studentPublish: e.MEDIA_STUDENT_PUBLISH,
      heartbeatMs: e.MEDIA_HEARTBEAT_MS,
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
