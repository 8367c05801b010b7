// Opens a fresh Storage on each engine for tests (a temporary data directory, or a PostgreSQL schema of its
// own); `restart` closes it and opens a new one on the same data, `dispose` closes it and removes the data.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type OpenedStorage, openStorage, type StorageConfig } from '../../server/src/storage/openStorage.ts';
import { STORAGE_ENGINES, type StorageEngine } from '../../server/src/storage/Storage.ts';
import { createTestSchema } from './pg.ts';

export { STORAGE_ENGINES };

export interface TestStorage {
  storage: OpenedStorage;
  config: StorageConfig;
  /** Closes `storage` and opens it again on the same data (a clean restart). */
  restart(): Promise<OpenedStorage>;
  dispose(): Promise<void>;
}

const log = pino({ level: 'silent' });

export async function openTestStorage(
  engine: StorageEngine,
  { historyRetentionDays = 0 }: { historyRetentionDays?: number } = {},
): Promise<TestStorage> {
  let config: StorageConfig;
  let removeData: () => Promise<void>;
  if (engine === 'sqlite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-storage-'));
    config = { engine, dataDir };
    removeData = async () => fs.rmSync(dataDir, { recursive: true, force: true });
  } else {
    const schema = await createTestSchema();
    config = { engine, url: schema.url, schema: schema.schema, poolSize: 4 };
    removeData = schema.drop;
  }
  const open = () => openStorage(config, { historyRetentionDays, log });
  const test: TestStorage = {
    storage: await open(),
    config,
    async restart() {
      await test.storage.close();
      test.storage = await open();
      return test.storage;
    },
    async dispose() {
      try {
        await test.storage.close();
      } finally {
        await removeData();
      }
    },
  };
  return test;
}
