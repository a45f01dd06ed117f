import { describe, expect, it } from 'vitest';
import { MAX_POINT_BUDGET, MIN_POINT_BUDGET } from '../../../viewer/state/view-state.ts';
import { budgetFromSlider, sliderFromBudget } from '../../../viewer/ui/budget-scale.ts';

describe('point budget slider', () => {
  it('spans 100 k to 10 M logarithmically, with 1 M in the middle', () => {
    expect(budgetFromSlider(0)).toBe(MIN_POINT_BUDGET);
    expect(budgetFromSlider(100)).toBe(MAX_POINT_BUDGET);
    expect(budgetFromSlider(50)).toBe(1_000_000);
    expect(budgetFromSlider(-5)).toBe(MIN_POINT_BUDGET);
  });

  it('rounds to two significant digits and rises with the position', () => {
    let previous = 0;
    for (let p = 0; p <= 100; p++) {
      const budget = budgetFromSlider(p);
      expect(budget).toBeGreaterThanOrEqual(previous);
      expect(String(budget).replace(/0+$/, '').length).toBeLessThanOrEqual(2);
      previous = budget;
    }
  });

  it('finds the slider position of a budget (the default 2 M) and comes back close to it', () => {
    const p = sliderFromBudget(2_000_000);
    expect(p).toBe(65);
    expect(Math.abs(budgetFromSlider(p) - 2_000_000) / 2_000_000).toBeLessThan(0.03);
    expect(sliderFromBudget(50)).toBe(0);
  });
});
