// The PostgreSQL connection pool (node-postgres) and the helpers every PG store uses: typed queries, a
// transaction on one pooled client, and the readiness ping. BIGINT columns (millisecond times, sequence numbers, ids) are read as
// JavaScript numbers: every value Tandem stores there is below 2^53.
import pg from 'pg';

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'>;

const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PgPoolOptions {
  /** Connections in the pool; the group commit holds one while it commits. */
  max?: number;
  /** Schema to use instead of `public` (tests run each case in its own schema). */
  schema?: string;
  applicationName?: string;
}

export function createPgPool(
  url: string,
  { max = 10, schema, applicationName = 'tandem' }: PgPoolOptions = {},
): PgPool {
  return new pg.Pool({
    connectionString: url,
    max,
    types,
    application_name: applicationName,
    options: schema ? `-c search_path=${quoteIdent(schema)}` : undefined,
  });
}

export async function rows<T>(db: Queryable, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query(text, values)).rows as T[];
}

export async function first<T>(db: Queryable, text: string, values: unknown[] = []): Promise<T | undefined> {
  return (await db.query(text, values)).rows[0] as T | undefined;
}

/** Rows a statement changed. */
export async function changes(db: Queryable, text: string, values: unknown[] = []): Promise<number> {
  return (await db.query(text, values)).rowCount ?? 0;
}

/** Runs `fn` in one transaction on one pooled client: committed if it resolves, rolled back if it throws. */
export async function transaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Readiness: whether the database takes a new connection and answers `SELECT 1` on it within `timeoutMs`,
 * and why not. The ping has a connection of its own, closed afterwards, so a stalled database can neither hold
 * a pooled connection nor keep a probe waiting; probes asked for while one runs share it.
 */
export function createPgPinger(
  pool: PgPool,
): (timeoutMs: number) => Promise<{ ok: boolean; detail: string }> {
  let inFlight: Promise<{ ok: boolean; detail: string }> | null = null;
  const ping = async (timeoutMs: number) => {
    if (pool.ending) return { ok: false, detail: 'postgres: the connection pool is closed' };
    const client = new pg.Client({ ...pool.options, application_name: 'tandem-readiness' });
    client.on('error', () => {});
    const attempt = client.connect().then(() => client.query('SELECT 1'));
    // Settled later when the timer wins (end() below makes it fail); the timer reports then.
    attempt.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([attempt, late]);
      return { ok: true, detail: 'postgres' };
    } catch (error) {
      return { ok: false, detail: `postgres: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
      // Destroys the socket if connecting or querying is still under way.
      client.end().catch(() => {});
    }
  };
  return (timeoutMs) => {
    inFlight ??= ping(timeoutMs).finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
