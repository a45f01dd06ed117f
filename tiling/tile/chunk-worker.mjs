// Worker entry: registers the TypeScript loader (workers do not inherit it), then runs chunk-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./chunk-worker.ts');
