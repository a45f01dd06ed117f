// Worker entry of tiling/measure/decode-threads.ts: registers the TypeScript loader (workers do not inherit
// it), then runs decode-thread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./decode-thread.ts');
