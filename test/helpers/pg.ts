// PostgreSQL for tests: TEST_DATABASE_URL when set, else whatever answers on 127.0.0.1:5432 (scripts/test.sh
// starts a throwaway cluster there when nothing does). Each test gets its own schema, dropped afterwards.
import crypto from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { quoteIdent } from '../../server/src/storage/pg/pool.ts';

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

let found: Promise<string> | undefined;

/** The URL tests reach PostgreSQL at; throws (never skips) when there is none. */
export function pgTestUrl(): Promise<string> {
  found ??= (async () => {
    const fromEnv = process.env.TEST_DATABASE_URL;
    if (fromEnv) return fromEnv;
    if (await answers('127.0.0.1', 5432)) return LOCAL_URL;
    throw new Error(
      'no PostgreSQL for tests: set TEST_DATABASE_URL, or run scripts/test.sh (it starts one on 127.0.0.1:5432)',
    );
  })();
  return found;
}

export interface PgTestSchema {
  url: string;
  schema: string;
  /** `url` with the schema as search path: a DATABASE_URL for a server under test. */
  schemaUrl: string;
  drop(): Promise<void>;
}

/** A fresh, empty schema for one test. */
export async function createTestSchema(): Promise<PgTestSchema> {
  const url = await pgTestUrl();
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${quoteIdent(schema)}`);
  const schemaUrl = new URL(url);
  schemaUrl.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url,
    schema,
    schemaUrl: schemaUrl.toString(),
    drop: () => admin(url, `DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
