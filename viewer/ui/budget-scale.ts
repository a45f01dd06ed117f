/**
 * The point-budget slider: positions 0..100 map logarithmically to 100 000..10 000 000 points, so each step is
 * the same ratio (about 4.7 %) and the default 2 M sits near two thirds; values are rounded to 2 significant digits.
 */
import { MAX_POINT_BUDGET, MIN_POINT_BUDGET } from '../state/view-state.ts';

const RATIO = MAX_POINT_BUDGET / MIN_POINT_BUDGET;

/** Rounds to two significant digits (1 234 567 -> 1 200 000). */
function roundTwoDigits(value: number): number {
  const magnitude = 10 ** (Math.floor(Math.log10(value)) - 1);
  return Math.round(value / magnitude) * magnitude;
}

/** The budget (points) at slider position 0..100. */
export function budgetFromSlider(position: number): number {
  const t = Math.min(100, Math.max(0, position)) / 100;
  return Math.min(MAX_POINT_BUDGET, Math.max(MIN_POINT_BUDGET, roundTwoDigits(MIN_POINT_BUDGET * RATIO ** t)));
}

/** The slider position 0..100 (integer) nearest to a budget. */
export function sliderFromBudget(budget: number): number {
  const clamped = Math.min(MAX_POINT_BUDGET, Math.max(MIN_POINT_BUDGET, budget));
  return Math.round((100 * Math.log(clamped / MIN_POINT_BUDGET)) / Math.log(RATIO));
}
