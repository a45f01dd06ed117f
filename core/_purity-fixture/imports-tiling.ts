// A deliberate violation of the dependency rule (core importing tiling/), compiled by tests/core/purity.test.ts
// to prove that the composite core project rejects files outside its folder. Excluded from the normal build.
import { CliError } from '../../tiling/cli-error.ts';

export const error = new CliError('x');
