import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (the folder holding package.json). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The one place tests find ../shared/data (real public LAS/LAZ/COPC files with PDAL ground truth).
 * TWINVIEW_SHARED_DATA overrides it. The data is read in place, never copied into the repository.
 */
export const SHARED_DATA = resolve(process.env.TWINVIEW_SHARED_DATA ?? join(REPO_ROOT, '..', 'shared', 'data'));

/** Absolute path of a file given relative to ../shared/data; throws when it is missing. */
export function sharedPath(relativePath: string): string {
  const path = join(SHARED_DATA, relativePath);
  if (!existsSync(path)) throw new Error(`Invalid shared data file: ${path} does not exist`);
  return path;
}

/** Every LAS/LAZ/COPC file below ../shared/data as paths relative to it, sorted, ground truth excluded. */
export function listPointCloudFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== '_ground_truth') walk(path);
      } else if (/\.(las|laz)$/i.test(name)) {
        out.push(relative(SHARED_DATA, path));
      }
    }
  };
  walk(SHARED_DATA);
  return out.sort();
}

/** Name of a ground-truth JSON file for a data file: `a/b/c.las` -> `a__b__c.las.json`. */
function truthName(relativePath: string): string {
  return `${relativePath.split('/').join('__')}.json`;
}

/**
 * PDAL `info --stats` ground truth for a file, or undefined when PDAL could not read it.
 * Note: PDAL left empty files for the waveform formats it refuses, and prints a bare -Infinity/Infinity for an
 * all-NaN dimension (gps-time-nan.las), which is not JSON; those become undefined and the strings "±Infinity".
 */
export function pdalStats(relativePath: string): any | undefined {
  const path = join(SHARED_DATA, '_ground_truth', 'pdal_info_stats', truthName(relativePath));
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') return undefined;
  return JSON.parse(text.replace(/(:\s*)(-?)Infinity/g, (_m, colon: string, sign: string) => `${colon}"${sign}Infinity"`));
}

/** PDAL `info --summary` ground truth for a file, or undefined when PDAL could not read it. */
export function pdalSummary(relativePath: string): any | undefined {
  const path = join(SHARED_DATA, '_ground_truth', 'pdal_info_summary', truthName(relativePath));
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

let headerParse: any[] | undefined;

/** The independent raw header parse (header_parse.json) entry for a file, or undefined. */
export function rawHeaderTruth(relativePath: string): any | undefined {
  headerParse ??= JSON.parse(readFileSync(join(SHARED_DATA, '_ground_truth', 'header_parse.json'), 'utf8')) as any[];
  return headerParse.find((entry) => entry.path === `./${relativePath}`);
}
