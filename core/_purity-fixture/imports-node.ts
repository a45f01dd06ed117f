// A deliberate violation of the core purity rule, compiled by tests/core/purity.test.ts to prove that
// core/tsconfig.json rejects node imports. Excluded from the normal build.
import { readFileSync } from 'node:fs';

export const bytes = readFileSync('x');
