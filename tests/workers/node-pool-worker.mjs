// Node worker entry for the pool tests: registers the TypeScript loader (workers do not inherit it), then runs
// node-pool-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./node-pool-worker.ts');
