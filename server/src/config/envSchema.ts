// The environment's variables, their types, limits and defaults: one zod schema, parsed once by loadConfig.
import net from 'node:net';
import { DEFAULT_PUBLISH_POLICY, PUBLISH_POLICIES } from '@tandem/shared';
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

export const envSchema = z.object({
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

/** The environment as parsed: every variable typed, defaults filled in. */
export type ParsedEnv = z.infer<typeof envSchema>;

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
