// Worker entry: registers the TypeScript loader (workers do not inherit it), then runs tile-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./tile-worker.ts');
