/** The measurement worker: exposes workers/measure-api.ts through comlink, nothing else. */
import { expose } from 'comlink';
import { measureApi } from './measure-api.ts';

expose(measureApi);
