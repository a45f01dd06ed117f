/**
 * Shared parts of the measurement commands (measure-building, measure-buildings, section, spot-height, clip):
 * parsing `E,N` pairs and `;`-separated rings, opening a LAS/LAZ/COPC file as a PointSource, writing outputs
 * through a temp file and a rename, and turning core errors into one-line CLI errors that name the file.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { findEastingZonePrefix } from '../../core/crs/proj.ts';
import type { Point2 } from '../../core/geometry/point3.ts';
import { normalizeRing } from '../../core/geometry/polygon.ts';
import { openPointSource, type ChunkDecodeFn, type PointSource, type PointSourceOptions } from '../../core/query/point-source.ts';
import { CliError } from '../cli-error.ts';
import { createFileGetter, type FileGetter } from '../file-getter.ts';
import { startDecodeThreads, type DecodeThreads } from './decode-threads.ts';

/** An opened input: its PointSource and the file handle to close. */
export interface CliInput {
  readonly path: string;
  readonly source: PointSource;
  /** Zone prefix (32, 33) of the file's own eastings when it stores EPSG:4647-style eastings, else undefined. */
  readonly eastingZone: number | undefined;
  close(): Promise<void>;
}

/** Option values of {@link parseCommandArgs}: strings for string options, booleans for flags. */
export type OptionValues<T> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string } & { help?: boolean };

/** Parses argv with node:util parseArgs; unknown options become `Invalid option: …` with the usage. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  usage: string,
): { values: OptionValues<T>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    return { values: parsed.values as OptionValues<T>, positionals: parsed.positionals };
  } catch (error) {
    // Note: node's parseArgs messages may span lines; the CLI promises one line on stderr.
    throw new CliError(`Invalid option: ${messageOf(error).replace(/\s*\n\s*/g, ' ')} (see --help)`);
  }
}

/**
 * Parses the arguments of a command that reads one LAS/LAZ/COPC file: prints the usage and returns undefined for
 * `--help`, otherwise the option values and the input path (`Invalid option: …` / `Invalid input: …` on misuse).
 */
export function parseFileCommand<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  usage: string,
): { values: OptionValues<T>; path: string } | undefined {
  const { values, positionals } = parseCommandArgs(argv, options, usage);
  if (values.help) {
    console.log(usage);
    return undefined;
  }
  return { values, path: requireInput(positionals, usage) };
}

/** The single input file of a command, or `Invalid input: …`. */
export function requireInput(positionals: string[], usage: string): string {
  if (positionals.length !== 1) {
    throw new CliError(`Invalid input: ${positionals.length === 0 ? 'no file given' : positionals.join(' ')} (one LAS/LAZ/COPC file) (see --help)`);
  }
  return positionals[0]!;
}

/** Opens a LAS, LAZ or COPC file; errors name the file. */
export async function openInput(path: string, options: PointSourceOptions = {}): Promise<CliInput> {
  let getter: FileGetter;
  try {
    getter = await createFileGetter(path);
  } catch (error) {
    throw new CliError(messageOf(error));
  }
  // Note: a COPC input's nodes are decoded on every core (decode-threads.ts); the threads start with the first
  // chunk to decode (a LAS/LAZ, read whole by one reader, never starts them) and are ended by close().
  let threads: DecodeThreads | undefined;
  const decodeChunk: ChunkDecodeFn = (task) => (threads ??= startDecodeThreads()).decode(task);
  const close = async (): Promise<void> => {
    await threads?.close();
    await getter.close();
  };
  try {
    const source = await openPointSource(getter, { decodeChunk, ...options });
    return { path, source, eastingZone: findEastingZonePrefix(source.header.min[0]), close };
  } catch (error) {
    await close();
    throw new CliError(withFile(messageOf(error), path));
  }
}

/** The message of an error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Appends ` (in <file>)` to a message unless it already names the file. */
export function withFile(message: string, path: string): string {
  return message.includes(path) ? message : `${message} (in ${path})`;
}

/**
 * Parses `E,N` (metres, EPSG:25832). A zone-prefixed easting (32 291 500 m, EPSG:4647 style) is accepted and
 * brought to the file's convention: stripped for a plain UTM file, kept for a file that stores prefixed eastings.
 */
export function parsePair(text: string, what: string, input: CliInput): Point2 {
  const parts = text.split(',').map((s) => s.trim());
  const numbers = parts.map((s) => (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN));
  if (numbers.length !== 2 || !numbers.every(Number.isFinite)) {
    throw new CliError(`Invalid ${what}: ${text} (expected E,N in metres) for ${input.path}`);
  }
  return toFileEasting([numbers[0]!, numbers[1]!], input);
}

/** Brings an [E, N] to the file's easting convention (plain UTM or zone-prefixed). */
export function toFileEasting(p: Point2, input: CliInput): Point2 {
  const zone = findEastingZonePrefix(p[0]);
  if (zone !== undefined && input.eastingZone === undefined) return [p[0] - zone * 1_000_000, p[1]];
  if (zone === undefined && input.eastingZone !== undefined && p[0] > 0 && p[0] < 1_000_000) {
    return [p[0] + input.eastingZone * 1_000_000, p[1]];
  }
  return p;
}

/** Parses a ring `E,N;E,N;E,N;…` (open or closed, any orientation); at least 3 distinct vertices with area. */
export function parseRing(text: string, what: string, input: CliInput): Point2[] {
  const pairs = text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const ring = pairs.map((pair) => {
    try {
      return parsePair(pair, what, input);
    } catch {
      throw new CliError(`Invalid ${what}: ${text} (vertex "${pair}" is not E,N) for ${input.path}`);
    }
  });
  try {
    normalizeRing(ring);
  } catch {
    throw new CliError(`Invalid ${what}: ${text} (needs at least 3 distinct E,N vertices enclosing an area) for ${input.path}`);
  }
  return ring;
}

/** Parses a finite number option; `positive` requires > 0. */
export function parseNumber(text: string | undefined, what: string, path: string, options: { positive?: boolean } = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(value) || (options.positive && !(value > 0))) {
    throw new CliError(`Invalid ${what}: ${text}${options.positive ? ' (a positive number of metres)' : ''} for ${path}`);
  }
  return value;
}

/** Writes a file through a temp file in the same folder and a rename, so readers never see half a file. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new CliError(`Invalid output: ${path} (${messageOf(error)})`);
  }
}

/** Rounds a value to `decimals` for JSON output (null stays null; NaN becomes null). */
export function round(value: number | null | undefined, decimals = 4): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
