/**
 * The measurement worker: exposes workers/measure-api.ts through comlink. A measurement query's COPC chunks are
 * decoded by a pool of decode workers nested in this one (one per core), not one after the other here.
 */
import { expose } from 'comlink';
import { createWorkerPool } from './client.ts';
import { createMeasureApi } from './measure-api.ts';

const pool = createWorkerPool();
expose(createMeasureApi({ decodeChunk: (task) => pool.decodeChunk(task) }));
