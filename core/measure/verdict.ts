/**
 * Three-way verdict of a measured height against a limit from a development plan. There is no legal
 * tolerance, so the verdict says whether the limit is kept or exceeded beyond the measurement uncertainty,
 * or whether the difference lies within it.
 */

/** The verdicts as the protocol prints them. */
export type LimitVerdict = 'eingehalten' | 'überschritten' | 'innerhalb der Messunsicherheit';

/** Options for {@link judgeAgainstLimit}. */
export interface JudgeOptions {
  /** Coverage factor applied to sigma (default 2, about 95 % for a normal error). */
  readonly coverage?: number;
}

/** Result of {@link judgeAgainstLimit}. */
export interface LimitJudgement {
  readonly verdict: LimitVerdict;
  /** limit - value, metres (positive = below the limit). */
  readonly marginM: number;
  /** coverage x sigma, metres. */
  readonly uncertaintyM: number;
}

/**
 * Judges a measured value (metres) against a maximum: eingehalten when value + k·sigma <= limit,
 * überschritten when value - k·sigma > limit, otherwise innerhalb der Messunsicherheit.
 *
 * @example
 * judgeAgainstLimit(9.46, 9.5, 0.02).verdict; // 'innerhalb der Messunsicherheit'
 */
export function judgeAgainstLimit(valueM: number, limitM: number, sigmaM: number, options: JudgeOptions = {}): LimitJudgement {
  if (!Number.isFinite(valueM)) throw new Error(`Invalid measured value (core/measure/verdict.ts): ${valueM}`);
  if (!Number.isFinite(limitM)) throw new Error(`Invalid limit (core/measure/verdict.ts): ${limitM}`);
  if (!(sigmaM >= 0)) throw new Error(`Invalid sigma (core/measure/verdict.ts): ${sigmaM}`);
  const k = options.coverage ?? 2;
  const u = k * sigmaM;
  const verdict: LimitVerdict =
    valueM + u <= limitM ? 'eingehalten' : valueM - u > limitM ? 'überschritten' : 'innerhalb der Messunsicherheit';
  return { verdict, marginM: limitM - valueM, uncertaintyM: u };
}
