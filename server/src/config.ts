// Parses the environment once into a frozen, validated Config. Nothing else reads process.env.
import crypto from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
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

const ms = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** Webhook receivers: one or more http(s) URLs, comma-separated. */
const webhookUrls = csv.refine(
  (items) => items.every(isWebhookUrl),
  'must be http:// or https:// URLs without user:password@, comma-separated',
);
/** Proxy addresses or CIDR ranges (`10.0.0.0/8`, `::1`) whose X-Forwarded-For is believed. */
const proxyList = csv.refine((items) => items.every(isAddressOrCidr), 'must be IP addresses or CIDR ranges');

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
  // A paste of a 1 MB file fits; an 8 MiB update held the event loop for seconds (bench:stall, docs/benchmarks.md).
  MAX_MESSAGE_BYTES: positiveInt.default(1024 * 1024),
  MAX_DOCUMENT_BYTES: positiveInt.default(32 * 1024 * 1024),
  // ~3.5 µs each: 30,000 bounds one update to ~0.1 s of the event loop (updateCost.ts, bench:stall); typing
  // costs one operation per keystroke and a pasted file one in all.
  MAX_UPDATE_OPERATIONS: positiveInt.default(30_000),
  USER_UPDATE_OPERATIONS_PER_SEC: positiveInt.default(10_000),
  USER_UPDATE_BYTES_PER_SEC: positiveInt.default(1024 * 1024),
  // A class page sends well under 100/s (typing, 25 board flushes/s, 20 presence updates/s); the burst covers
  // opening MAX_DOCUMENTS_PER_SOCKET documents (~4 messages each) at once.
  RATE_LIMIT_MESSAGES_PER_SEC: positiveInt.default(100),
  RATE_LIMIT_BURST: positiveInt.default(500),
  USER_RATE_LIMIT_MESSAGES_PER_SEC: positiveInt.default(600),
  USER_RATE_LIMIT_BURST: positiveInt.default(3000),
  ADDRESS_RATE_LIMIT_MESSAGES_PER_SEC: positiveInt.default(20_000),
  ADDRESS_RATE_LIMIT_BURST: positiveInt.default(100_000),
  MAX_SOCKETS_PER_ADDRESS: positiveInt.default(3000),
  MAX_SOCKETS_PER_USER: positiveInt.default(32),
  MAX_DOCUMENTS_PER_SOCKET: positiveInt.default(100),
  TRUSTED_PROXIES: proxyList.default([]),
  HEADERS_TIMEOUT_MS: ms(100, 120_000).default(10_000),
  BODY_TIMEOUT_MS: ms(100, 300_000).default(10_000),
  AUTH_TIMEOUT_MS: ms(100, 120_000).default(10_000),
  AUTH_FAILURE_BURST: positiveInt.default(100),
  AUTH_FAILURES_PER_MIN: positiveInt.default(60),
  PRESENCE_MERGE_MS: z.coerce.number().int().min(0).max(1000).default(50),
  PRESENCE_MAX_STATE_BYTES: z.coerce.number().int().min(256).max(65_536).default(4096),
  PRESENCE_UPDATES_PER_SEC: positiveInt.default(20),
  SNAPSHOT_EVERY_UPDATES: positiveInt.default(500),
  TIMELINE_CHECKPOINT_EVERY_UPDATES: z.coerce.number().int().min(2).max(100_000).default(500),
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
  RTC_BIND_RETRY_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  MEDIA_MAX_PEERS: positiveInt.default(100),
  // Below the measured 500-viewer ceiling of one worker (docs/benchmarks.md "Media: one SFU worker").
  MEDIA_VIEWERS_PER_ROUTER: z.coerce
    .number()
    .int()
    .min(1, 'must be a whole number of viewers, at least 1')
    .max(10_000)
    .default(400),
  MEDIA_STUDENT_PUBLISH: z.enum(PUBLISH_POLICIES).default(DEFAULT_PUBLISH_POLICY),
  MEDIA_HEARTBEAT_MS: z.coerce.number().int().min(100).default(10_000),
  WEBHOOK_URL: webhookUrls.default([]),
  WEBHOOK_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
  WEBHOOK_TIMEOUT_MS: ms(100, 60_000).default(10_000),
  // 8 attempts 1 min, 3 min, 9 min, ... apart span about 18 hours (webhooks/backoff.ts).
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_RETRY_BASE_MS: ms(100, 3_600_000).default(60_000),
  // A workspace export (zip) refuses when the files it would hold add up to more than this (history/export.ts).
  EXPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 31)
    .default(50 * 1024 * 1024),
  RUN_TIME_LIMIT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  RUN_MAX_OUTPUT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  RECORDING_MIN_FREE_MB: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(256),
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  RECORDINGS_STUDENTS_MAY_WATCH: bool.default(false),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, `_`, `.` or `-`' })
    .optional(),
  CLUSTER_ADVERTISE_URL: z
    .url()
    .regex(/^https?:\/\/[^/@]+\/?$/, { message: 'must be http(s)://host:port without a path' })
    .optional(),
  CLUSTER_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
  // A dead owner's classes wait at most this long for another node; renewals every third of it survive
  // one lost renewal and a slow Redis.
  CLUSTER_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:.-]{1,64}$/, { message: 'must be 1-64 letters, digits, `_`, `:`, `.` or `-`' })
    .default('tandem:'),
  CLUSTER_LEASE_TTL_MS: ms(1000, 600_000).default(10_000),
  CLUSTER_RENEW_MS: ms(100, 200_000).optional(),
  CLUSTER_IDLE_RELEASE_MS: ms(1000, 3_600_000).default(60_000),
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
    /** Largest client message the server takes; a larger Yjs update is refused (`message_too_large`). */
    maxMessageBytes: number;
    /**
     * Largest WebSocket frame read at all (derived, frameCapBytes): above maxMessageBytes so that an update a
     * little over the limit is refused as data the client recovers from, not by closing the socket with 1009.
     */
    maxFrameBytes: number;
    /** Client updates that would grow a document past this are refused; deleting is always allowed. */
    maxDocumentBytes: number;
    /** Largest estimated cost of applying one client update (updateCost.ts), in operations. */
    maxUpdateOperations: number;
    /**
     * Per user, across connections and documents: operations and bytes of client updates per second, with
     * bursts of two of the largest updates' operations and eight of the largest messages' bytes.
     */
    userUpdateOperationsPerSec: number;
    userUpdateOperationsBurst: number;
    userUpdateBytesPerSec: number;
    userUpdateBytesBurst: number;
    messagesPerSec: number;
    burst: number;
    /** One budget shared by all sockets of one user (so 40 sockets do not get 40 budgets). */
    userMessagesPerSec: number;
    userBurst: number;
    /** One budget shared by all sockets from one client address (generous: a school behind one NAT). */
    addressMessagesPerSec: number;
    addressBurst: number;
    maxSocketsPerAddress: number;
    maxSocketsPerUser: number;
    /** Documents one /collab socket may have open at once (a class page opens a handful). */
    maxDocumentsPerSocket: number;
  };
  network: {
    /** Peers whose X-Forwarded-For names the client (addresses or CIDR ranges). */
    trustedProxies: readonly string[];
    /** Time to receive a request's (or upgrade's) headers. */
    headersTimeoutMs: number;
    /** Time to receive a request body once its headers are in. */
    bodyTimeoutMs: number;
    /** Time a WebSocket has to authenticate (a document on /collab or /yjs, a join on /media). */
    authTimeoutMs: number;
    /** Failed credentials per client address: a burst, then this many per minute, then 429/4429. */
    authFailureBurst: number;
    authFailuresPerMin: number;
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
    /** A document checkpoint for seeking (docs/timeline.md) every this many logged updates. */
    checkpointEveryUpdates: number;
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
    /** How long to keep retrying an RTC port that is still in use at startup (a previous server exiting). */
    bindRetryMs: number;
    maxPeersPerClass: number;
    /**
     * Viewers (receive transports) one Router of a class takes before the class grows a Router on another
     * worker and pipes its producers there (RouterSet.ts).
     */
    viewersPerRouter: number;
    /** What students may publish when a class's media opens (staff can change it live). */
    studentPublish: PublishPolicy;
    heartbeatMs: number;
  };
  /** Signed webhooks to course platforms (docs/webhooks.md); off when `urls` is empty. */
  webhooks: {
    urls: readonly string[];
    /** HMAC-SHA256 key of the signatures; set whenever `urls` is not empty. */
    secret: string | undefined;
    /** How long one attempt may take (connect, headers and the start of the reply). */
    timeoutMs: number;
    /** Attempts per delivery before it is marked failed. */
    maxAttempts: number;
    /** The delay after the first failed attempt; each next delay is 3 times longer (with jitter). */
    retryBaseMs: number;
  };
  /** Workspace exports (history/export.ts): the most file bytes one zip may hold. */
  exportMaxBytes: number;
  /** Code run in the browser's sandboxed runner (server/src/run): limits the runner page enforces. */
  run: { timeLimitMs: number; maxOutputBytes: number };
  /** Class recordings (docs/recording.md); files under `recordingsDir`. */
  recording: {
    /** Recordings (and the keystroke history of their sessions) are deleted this many days after they stop; 0 keeps them. */
    retentionDays: number;
    ffmpegPath: string;
    /** Recording stops (failed, "the disk is full") below this much free space in its folder. */
    minFreeBytes: number;
    /** Off by default: only staff (and platforms) list, read and download recordings. */
    studentsMayWatch: boolean;
  };
  /** Several nodes sharing PostgreSQL, coordinated through Redis (docs/architecture.md, Cluster); off when undefined. */
  cluster: ClusterConfig | undefined;
}

export interface ClusterConfig {
  redisUrl: string;
  /** This node's name in the registry and on its leases (NODE_ID, else hostname and a random suffix). */
  nodeId: string;
  /** Where other nodes reach this one (http://host:port); forwarded connections go there. */
  advertiseUrl: string;
  /** Signs the header that carries a forwarded connection's client address between nodes. */
  secret: string;
  /** Prefix of every Redis key the cluster uses (several clusters can share one Redis). */
  keyPrefix: string;
  /** A class lease (and a node's registry entry) expires this long after its last renewal. */
  leaseTtlMs: number;
  /** How often leases and the registry entry are renewed (below half the TTL). */
  renewMs: number;
  /** A class with no documents loaded and no call here for this long is released (its lease freed). */
  idleReleaseMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Pure: the same env always gives the same Config (a cluster node without NODE_ID gets a random one), or a ConfigError naming the variable. */
export function loadConfig(
  env: Env,
  cwd = process.cwd(),
  nodeIdDefault: () => string = defaultNodeId,
): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid ${variable}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.WEBHOOK_URL.length > 0 && !e.WEBHOOK_SECRET) {
    throw new ConfigError(
      'invalid WEBHOOK_SECRET: required when WEBHOOK_URL is set (at least 32 characters, shared with the ' +
        'receiver; e.g. `openssl rand -hex 32`)',
    );
  }
  const config: Config = {
    cluster: clusterConfigOf(e, nodeIdDefault),
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
      maxFrameBytes: frameCapBytes(e.MAX_MESSAGE_BYTES),
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
      maxUpdateOperations: e.MAX_UPDATE_OPERATIONS,
      userUpdateOperationsPerSec: e.USER_UPDATE_OPERATIONS_PER_SEC,
      userUpdateOperationsBurst: Math.max(2 * e.MAX_UPDATE_OPERATIONS, e.USER_UPDATE_OPERATIONS_PER_SEC),
      userUpdateBytesPerSec: e.USER_UPDATE_BYTES_PER_SEC,
      userUpdateBytesBurst: Math.max(8 * e.MAX_MESSAGE_BYTES, e.USER_UPDATE_BYTES_PER_SEC),
      messagesPerSec: e.RATE_LIMIT_MESSAGES_PER_SEC,
      burst: e.RATE_LIMIT_BURST,
      userMessagesPerSec: e.USER_RATE_LIMIT_MESSAGES_PER_SEC,
      userBurst: e.USER_RATE_LIMIT_BURST,
      addressMessagesPerSec: e.ADDRESS_RATE_LIMIT_MESSAGES_PER_SEC,
      addressBurst: e.ADDRESS_RATE_LIMIT_BURST,
      maxSocketsPerAddress: e.MAX_SOCKETS_PER_ADDRESS,
      maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
      maxDocumentsPerSocket: e.MAX_DOCUMENTS_PER_SOCKET,
    },
    network: {
      trustedProxies: e.TRUSTED_PROXIES,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      bodyTimeoutMs: e.BODY_TIMEOUT_MS,
      authTimeoutMs: e.AUTH_TIMEOUT_MS,
      authFailureBurst: e.AUTH_FAILURE_BURST,
      authFailuresPerMin: e.AUTH_FAILURES_PER_MIN,
    },
    presence: {
      mergeMs: e.PRESENCE_MERGE_MS,
      maxStateBytes: e.PRESENCE_MAX_STATE_BYTES,
      updatesPerSec: e.PRESENCE_UPDATES_PER_SEC,
    },
    storage: {
      snapshotEveryUpdates: e.SNAPSHOT_EVERY_UPDATES,
      checkpointEveryUpdates: e.TIMELINE_CHECKPOINT_EVERY_UPDATES,
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
      bindRetryMs: e.RTC_BIND_RETRY_MS,
      maxPeersPerClass: e.MEDIA_MAX_PEERS,
      viewersPerRouter: e.MEDIA_VIEWERS_PER_ROUTER,
      studentPublish: e.MEDIA_STUDENT_PUBLISH,
      heartbeatMs: e.MEDIA_HEARTBEAT_MS,
    },
    webhooks: {
      urls: e.WEBHOOK_URL,
      secret: e.WEBHOOK_SECRET,
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    },
    exportMaxBytes: e.EXPORT_MAX_BYTES,
    run: { timeLimitMs: e.RUN_TIME_LIMIT_SECONDS * 1000, maxOutputBytes: e.RUN_MAX_OUTPUT_BYTES },
    recording: {
      retentionDays: e.RECORDING_RETENTION_DAYS,
      ffmpegPath: e.FFMPEG_PATH,
      minFreeBytes: e.RECORDING_MIN_FREE_MB * 1024 * 1024,
      studentsMayWatch: e.RECORDINGS_STUDENTS_MAY_WATCH,
    },
  };
  return deepFreeze(config);
}

/** Off without REDIS_URL; REDIS_URL needs DATABASE_URL (the nodes share PostgreSQL), an advertise URL and a secret. */
function clusterConfigOf(
  e: z.infer<typeof envSchema>,
  nodeIdDefault: () => string,
): ClusterConfig | undefined {
  if (!e.REDIS_URL) return undefined;
  if (!e.DATABASE_URL) {
    throw new ConfigError(
      'invalid REDIS_URL: a cluster needs DATABASE_URL too (the nodes share PostgreSQL); unset REDIS_URL for one node on SQLite',
    );
  }
  if (!e.CLUSTER_ADVERTISE_URL) {
    throw new ConfigError(
      'invalid CLUSTER_ADVERTISE_URL: required when REDIS_URL is set (the http://host:port other nodes reach this one at)',
    );
  }
  if (!e.CLUSTER_SECRET) {
    throw new ConfigError(
      'invalid CLUSTER_SECRET: required when REDIS_URL is set (the same ≥ 32 characters on every node; e.g. `openssl rand -hex 32`)',
    );
  }
  if (!e.AUTH_SECRET && !e.AUTH_PUBLIC_KEY && !e.AUTH_JWKS_URL) {
    throw new ConfigError(
      'invalid AUTH_SECRET: a cluster node needs AUTH_SECRET, AUTH_PUBLIC_KEY or AUTH_JWKS_URL, the same on every node (a generated secret would differ per node)',
    );
  }
  const renewMs = e.CLUSTER_RENEW_MS ?? Math.floor(e.CLUSTER_LEASE_TTL_MS / 3);
  if (renewMs * 2 >= e.CLUSTER_LEASE_TTL_MS) {
    throw new ConfigError('invalid CLUSTER_RENEW_MS: must be below half of CLUSTER_LEASE_TTL_MS');
  }
  return {
    redisUrl: e.REDIS_URL,
    nodeId: e.NODE_ID ?? nodeIdDefault(),
    advertiseUrl: e.CLUSTER_ADVERTISE_URL.replace(/\/$/, ''),
    secret: e.CLUSTER_SECRET,
    keyPrefix: e.CLUSTER_KEY_PREFIX,
    leaseTtlMs: e.CLUSTER_LEASE_TTL_MS,
    renewMs,
    idleReleaseMs: e.CLUSTER_IDLE_RELEASE_MS,
  };
}

/** Only read when a cluster is configured: unique across restarts so a restarted node never holds a dead one's leases. */
function defaultNodeId(): string {
  const host =
    os
      .hostname()
      .replace(/[^A-Za-z0-9_.-]/g, '-')
      .slice(0, 48) || 'node';
  return `${host}-${crypto.randomBytes(4).toString('hex')}`;
}

/** Frames up to this many times MAX_MESSAGE_BYTES are read (and refused as data) rather than cut off. */
const FRAME_CAP_FACTOR = 4;
/** ...but never more than this much above it: a frame is held in memory whole before it is refused. */
const FRAME_CAP_MAX_EXTRA_BYTES = 16 * 1024 * 1024;

/** The hard cap on a /collab or /yjs frame for a given MAX_MESSAGE_BYTES (1 MiB gives 4 MiB). */
export function frameCapBytes(maxMessageBytes: number): number {
  return Math.min(maxMessageBytes * FRAME_CAP_FACTOR, maxMessageBytes + FRAME_CAP_MAX_EXTRA_BYTES);
}

/** fetch refuses URLs with credentials in them; a receiver's own token may go in the query instead. */
function isWebhookUrl(item: string): boolean {
  if (!URL.canParse(item)) return false;
  const url = new URL(item);
  return /^https?:$/.test(url.protocol) && !url.username && !url.password;
}

function isAddressOrCidr(item: string): boolean {
  const [address = '', bits, extra] = item.split('/');
  const family = net.isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
