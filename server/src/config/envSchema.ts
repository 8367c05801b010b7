// The environment's variables, their types, limits and defaults: one valibot schema, parsed once by loadConfig.
import net from 'node:net';
import { DEFAULT_PUBLISH_POLICY, PUBLISH_POLICIES } from '@tandem/shared';
import * as v from 'valibot';

// valibot parses a default like any input: the defaults of the variables read through a transformation
// (bool, csv) are written as the text that reads as the value, '' for an empty list.
const bool = v.pipe(
  v.picklist(['1', '0', 'true', 'false', 'yes', 'no', '']),
  v.transform((s) => s === '1' || s === 'true' || s === 'yes'),
);
/**
 * A whole number read with `Number(value)`: NaN, Infinity and integers beyond Number.MAX_SAFE_INTEGER are
 * refused. Numbers are taken too, for the defaults.
 */
const int = v.pipe(
  v.union([v.string(), v.number()]),
  v.transform(Number),
  v.number(),
  v.finite(),
  v.safeInteger(),
);
const port = v.pipe(int, v.minValue(0), v.maxValue(65535));
const positiveInt = v.pipe(int, v.gtValue(0));
const csv = v.pipe(
  v.string(),
  v.transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ),
);
/** A URL: trimmed, one the URL parser takes, without the tabs and line breaks the parser ignores. */
const url = v.pipe(
  v.string(),
  v.trim(),
  v.url(),
  v.transform((s) => s.replace(/[\t\n\r]/g, '')),
);

const ms = (min: number, max: number) => v.pipe(int, v.minValue(min), v.maxValue(max));
/** Webhook receivers: one or more http(s) URLs, comma-separated. */
const webhookUrls = v.pipe(
  csv,
  v.check(
    (items) => items.every(isWebhookUrl),
    'must be http:// or https:// URLs without user:password@, comma-separated',
  ),
);
/** Proxy addresses or CIDR ranges (`10.0.0.0/8`, `::1`) whose X-Forwarded-For is believed. */
const proxyList = v.pipe(
  csv,
  v.check((items) => items.every(isAddressOrCidr), 'must be IP addresses or CIDR ranges'),
);

export const envSchema = v.object({
  PORT: v.optional(port, 8080),
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  PUBLIC_URL: v.optional(url),
  DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './data'),
  RECORDINGS_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), './recordings'),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  AUTH_SECRET: v.optional(v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters'))),
  AUTH_PUBLIC_KEY: v.optional(v.pipe(v.string(), v.includes('BEGIN PUBLIC KEY', 'must be a PEM public key'))),
  AUTH_JWKS_URL: v.optional(url),
  AUTH_ISSUER: v.optional(v.pipe(v.string(), v.minLength(1))),
  AUTH_AUDIENCE: v.optional(v.pipe(v.string(), v.minLength(1))),
  DEMO: v.optional(bool, 'false'),
  DEV_TOKENS: v.optional(bool),
  API_KEYS: v.optional(csv, ''),
  EMBED_ORIGINS: v.optional(csv, ''),
  // A paste of a 1 MB file fits; an 8 MiB update held the event loop for seconds (bench:stall, docs/benchmarks.md).
  MAX_MESSAGE_BYTES: v.optional(positiveInt, 1024 * 1024),
  MAX_DOCUMENT_BYTES: v.optional(positiveInt, 32 * 1024 * 1024),
  // ~3.5 µs each: 30,000 bounds one update to ~0.1 s of the event loop (updateCost.ts, bench:stall); typing
  // costs one operation per keystroke and a pasted file one in all.
  MAX_UPDATE_OPERATIONS: v.optional(positiveInt, 30_000),
  USER_UPDATE_OPERATIONS_PER_SEC: v.optional(positiveInt, 10_000),
  USER_UPDATE_BYTES_PER_SEC: v.optional(positiveInt, 1024 * 1024),
  // A class page sends well under 100/s (typing, 25 board flushes/s, 20 presence updates/s); the burst covers
  // opening MAX_DOCUMENTS_PER_SOCKET documents (~4 messages each) at once.
  RATE_LIMIT_MESSAGES_PER_SEC: v.optional(positiveInt, 100),
  RATE_LIMIT_BURST: v.optional(positiveInt, 500),
  USER_RATE_LIMIT_MESSAGES_PER_SEC: v.optional(positiveInt, 600),
  USER_RATE_LIMIT_BURST: v.optional(positiveInt, 3000),
  ADDRESS_RATE_LIMIT_MESSAGES_PER_SEC: v.optional(positiveInt, 20_000),
  ADDRESS_RATE_LIMIT_BURST: v.optional(positiveInt, 100_000),
  MAX_SOCKETS_PER_ADDRESS: v.optional(positiveInt, 3000),
  MAX_SOCKETS_PER_USER: v.optional(positiveInt, 32),
  MAX_DOCUMENTS_PER_SOCKET: v.optional(positiveInt, 100),
  TRUSTED_PROXIES: v.optional(proxyList, ''),
  HEADERS_TIMEOUT_MS: v.optional(ms(100, 120_000), 10_000),
  BODY_TIMEOUT_MS: v.optional(ms(100, 300_000), 10_000),
  AUTH_TIMEOUT_MS: v.optional(ms(100, 120_000), 10_000),
  AUTH_FAILURE_BURST: v.optional(positiveInt, 100),
  AUTH_FAILURES_PER_MIN: v.optional(positiveInt, 60),
  PRESENCE_MERGE_MS: v.optional(v.pipe(int, v.minValue(0), v.maxValue(1000)), 50),
  PRESENCE_MAX_STATE_BYTES: v.optional(v.pipe(int, v.minValue(256), v.maxValue(65_536)), 4096),
  PRESENCE_UPDATES_PER_SEC: v.optional(positiveInt, 20),
  SNAPSHOT_EVERY_UPDATES: v.optional(positiveInt, 500),
  TIMELINE_CHECKPOINT_EVERY_UPDATES: v.optional(v.pipe(int, v.minValue(2), v.maxValue(100_000)), 500),
  HISTORY_RETENTION_DAYS: v.optional(v.pipe(int, v.minValue(0)), 30),
  STORE_DEBOUNCE_MS: v.optional(v.pipe(int, v.minValue(0)), 2000),
  UPDATE_LOG_FOLD_MS: v.optional(v.pipe(int, v.minValue(1), v.maxValue(3_600_000)), 250),
  DATABASE_URL: v.optional(v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'))),
  GROUP_COMMIT_MS: v.optional(v.pipe(int, v.minValue(0), v.maxValue(100)), 2),
  MEDIA_ENABLED: v.optional(bool, 'true'),
  MEDIA_WORKERS: v.optional(positiveInt),
  RTC_PORT: v.optional(port, 40000),
  RTC_LISTEN_IP: v.optional(v.pipe(v.string(), v.minLength(1)), '0.0.0.0'),
  RTC_ANNOUNCED_ADDRESS: v.optional(v.pipe(v.string(), v.minLength(1))),
  RTC_BIND_RETRY_MS: v.optional(v.pipe(int, v.minValue(0), v.maxValue(600_000)), 10_000),
  MEDIA_MAX_PEERS: v.optional(positiveInt, 100),
  // Below the measured 500-viewer ceiling of one worker (docs/benchmarks.md "Media: one SFU worker").
  MEDIA_VIEWERS_PER_ROUTER: v.optional(
    v.pipe(int, v.minValue(1, 'must be a whole number of viewers, at least 1'), v.maxValue(10_000)),
    400,
  ),
  MEDIA_STUDENT_PUBLISH: v.optional(v.picklist(PUBLISH_POLICIES), DEFAULT_PUBLISH_POLICY),
  MEDIA_HEARTBEAT_MS: v.optional(v.pipe(int, v.minValue(100)), 10_000),
  WEBHOOK_URL: v.optional(webhookUrls, ''),
  WEBHOOK_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')),
  ),
  WEBHOOK_TIMEOUT_MS: v.optional(ms(100, 60_000), 10_000),
  // 8 attempts 1 min, 3 min, 9 min, ... apart span about 18 hours (webhooks/backoff.ts).
  WEBHOOK_MAX_ATTEMPTS: v.optional(v.pipe(int, v.minValue(1), v.maxValue(20)), 8),
  WEBHOOK_RETRY_BASE_MS: v.optional(ms(100, 3_600_000), 60_000),
  // A workspace export (zip) refuses when the files it would hold add up to more than this (history/export.ts).
  EXPORT_MAX_BYTES: v.optional(v.pipe(int, v.minValue(1024), v.maxValue(2 ** 31)), 50 * 1024 * 1024),
  RUN_TIME_LIMIT_SECONDS: v.optional(v.pipe(int, v.minValue(1), v.maxValue(600)), 10),
  RUN_MAX_OUTPUT_BYTES: v.optional(v.pipe(int, v.minValue(1024), v.maxValue(16 * 1024 * 1024)), 1024 * 1024),
  RECORDING_RETENTION_DAYS: v.optional(v.pipe(int, v.minValue(0)), 90),
  RECORDING_MIN_FREE_MB: v.optional(v.pipe(int, v.minValue(0), v.maxValue(2 ** 31)), 256),
  FFMPEG_PATH: v.optional(v.pipe(v.string(), v.minLength(1)), 'ffmpeg'),
  RECORDINGS_STUDENTS_MAY_WATCH: v.optional(bool, 'false'),
  REDIS_URL: v.optional(v.pipe(v.string(), v.regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'))),
  NODE_ID: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, `_`, `.` or `-`')),
  ),
  CLUSTER_ADVERTISE_URL: v.optional(
    v.pipe(url, v.regex(/^https?:\/\/[^/@]+\/?$/, 'must be http(s)://host:port without a path')),
  ),
  CLUSTER_SECRET: v.optional(
    v.pipe(v.string(), v.minLength(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')),
  ),
  // A dead owner's classes wait at most this long for another node; renewals every third of it survive
  // one lost renewal and a slow Redis.
  CLUSTER_KEY_PREFIX: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_:.-]{1,64}$/, 'must be 1-64 letters, digits, `_`, `:`, `.` or `-`'),
    ),
    'tandem:',
  ),
  CLUSTER_LEASE_TTL_MS: v.optional(ms(1000, 600_000), 10_000),
  CLUSTER_RENEW_MS: v.optional(ms(100, 200_000)),
  CLUSTER_IDLE_RELEASE_MS: v.optional(ms(1000, 3_600_000), 60_000),
});

/** The environment as parsed: every variable typed, defaults filled in. */
export type ParsedEnv = v.InferOutput<typeof envSchema>;

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
