// Parses the environment once into a frozen, validated Config. Nothing else reads process.env. The variables
// are declared in config/envSchema.ts, a cluster node's settings checked in config/cluster.ts.
import path from 'node:path';
import { firstIssue, type PublishPolicy } from '@tandem/shared';
import * as v from 'valibot';
import { ConfigError } from './config/ConfigError.ts';
import { type ClusterConfig, clusterConfigOf, defaultNodeId } from './config/cluster.ts';
import { envSchema, type ParsedEnv } from './config/envSchema.ts';

export { ConfigError } from './config/ConfigError.ts';
export type { ClusterConfig } from './config/cluster.ts';

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  recordingsDir: string;
  logLevel: ParsedEnv['LOG_LEVEL'];
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

/** Pure: the same env always gives the same Config (a cluster node without NODE_ID gets a random one), or a ConfigError naming the variable. */
export function loadConfig(
  env: Env,
  cwd = process.cwd(),
  nodeIdDefault: () => string = defaultNodeId,
): Readonly<Config> {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = v.safeParse(envSchema, cleaned);
  if (!parsed.success) {
    const issue = firstIssue(parsed.issues);
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`invalid ${variable}: ${issue.message}`);
  }
  const e = parsed.output;
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

/** Frames up to this many times MAX_MESSAGE_BYTES are read (and refused as data) rather than cut off. */
const FRAME_CAP_FACTOR = 4;
/** ...but never more than this much above it: a frame is held in memory whole before it is refused. */
const FRAME_CAP_MAX_EXTRA_BYTES = 16 * 1024 * 1024;

/** The hard cap on a /collab or /yjs frame for a given MAX_MESSAGE_BYTES (1 MiB gives 4 MiB). */
export function frameCapBytes(maxMessageBytes: number): number {
  return Math.min(maxMessageBytes * FRAME_CAP_FACTOR, maxMessageBytes + FRAME_CAP_MAX_EXTRA_BYTES);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
