// The store on a real SQLite file, migrated as the setup migrates it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineStoreTests } from './learner-store-cases';

defineStoreTests(`file:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-db-')), 'test.db')}`);
