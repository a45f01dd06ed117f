/**
 * `npm run samples -- --seed N [--out DIR] [--density D]`: writes the synthetic drive (two epochs, trajectories,
 * truth.json) into DIR (default samples/data).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SAMPLE_SEED, writeSampleFiles } from './write-sample.ts';

const USAGE = 'usage: npm run samples -- [--seed N] [--out DIR] [--density D]';

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        out: { type: 'string' },
        density: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`samples: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const seed = values.seed === undefined ? DEFAULT_SAMPLE_SEED : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`samples: Invalid seed: ${values.seed}\n${USAGE}`);
    return 2;
  }
  const density = values.density === undefined ? undefined : Number(values.density);
  if (density !== undefined && !(density > 0)) {
    console.error(`samples: Invalid density: ${values.density}\n${USAGE}`);
    return 2;
  }
  const out = values.out ?? 'samples/data';
  const started = performance.now();
  try {
    const written = await writeSampleFiles(out, seed, density === undefined ? {} : { density });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const counts = Object.entries(written.pointCounts).map(([name, n]) => `${name}: ${n} points`).join(', ');
    console.log(`samples: seed ${seed} -> ${out} (${counts}) in ${seconds} s`);
    for (const file of written.files) console.log(`  ${file}`);
    return 0;
  } catch (error) {
    console.error(`samples: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
