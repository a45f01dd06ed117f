/**
 * The `twinview` command line: `npx twinview <command> [options]`.
 *
 * Every command is a module in tiling/commands/ exporting `run(argv): Promise<number>` (the exit code).
 * Errors are one line on stderr naming the file and the problem, with exit code 2.
 */
import { CliError } from './cli-error.ts';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  info: { summary: 'print header, CRS, VLRs and COPC info of a LAS/LAZ/COPC file', load: () => import('./commands/info.ts') },
  start: { summary: 'generate the sample if missing, then serve the viewer', load: () => import('./commands/start.ts') },
  tile: { summary: 'merge LAS/LAZ files into one COPC file (octree, LAZ chunks)', load: () => import('./commands/tile.ts') },
  serve: { summary: 'serve the viewer and a data folder with HTTP range support', load: () => import('./commands/serve.ts') },
  'measure-building': { summary: 'ridge and eave heights of one building (footprint) from full-resolution points', load: () => import('./commands/measure-building.ts') },
  'measure-buildings': { summary: 'measure every footprint of a GeoJSON/GPKG file; write GPKG, CSV or GeoJSON', load: () => import('./commands/measure-buildings.ts') },
  section: { summary: 'street cross-section: profile, kerbs, widths, cross-falls; CSV/DXF/LandXML export', load: () => import('./commands/section.ts') },
  'spot-height': { summary: 'surface height at a spot (light well, threshold), optionally relative to another', load: () => import('./commands/spot-height.ts') },
  clip: { summary: 'write the points inside a polygon (and height range) as LAS/LAZ', load: () => import('./commands/clip.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return ['usage: twinview <command> [options]', '', 'commands:', ...lines].join('\n');
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`twinview: Invalid command: ${name}\n${usage()}`);
    return 2;
  }
  try {
    const module = await command.load();
    return await module.run(rest);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`twinview ${name}: ${message}`);
    if (!(error instanceof CliError) && process.env.TWINVIEW_DEBUG) console.error(error);
    return 2;
  }
}
