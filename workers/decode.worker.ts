/** The decode worker: exposes workers/decode-api.ts through comlink, nothing else. */
import { expose } from 'comlink';
import { decodeApi } from './decode-api.ts';

expose(decodeApi);
