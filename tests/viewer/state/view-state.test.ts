import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW_STATE, parseViewState, serializeViewState, type ViewState } from '../../../viewer/state/view-state.ts';

describe('view state in the URL', () => {
  it('round-trips a full state, camera to the millimetre at N 5.7e6', () => {
    const state: ViewState = {
      sources: [
        { url: '/data/drive-2023.copc.laz', visible: true },
        { url: '/data/drive-2025.copc.laz', visible: false },
        { url: '/data/drive-2025b.copc.laz', visible: true },
      ],
      camera: { position: [337512.345, 5681999.876, 80.5], target: [337480.001, 5682010.002, 33.25] },
      navigation: 'top',
      colourMode: 'change',
      pointBudget: 5_000_000,
      edl: false,
      swipe: 0.375,
      swipeSources: [2, 0],
      hiddenClasses: [2, 7],
      elevationRange: [30.5, 48.25],
      brightness: 0.1,
      contrast: 1.4,
      pointSize: 1.5,
      language: 'en',
      localFiles: ['Befahrung, Nord & Süd.copc.laz'],
    };
    const query = serializeViewState(state);
    expect(query).toContain('swipesrc=2,0');
    expect(query).toContain('cam=337512.345,5681999.876,80.5,337480.001,5682010.002,33.25');
    expect(query).toContain('url=/data/drive-2023.copc.laz');
    const { state: back, warnings } = parseViewState(`?${query}`);
    expect(warnings).toEqual([]);
    expect(back).toEqual(state);
  });

  it('rounds the camera to millimetres and keeps world precision (float64)', () => {
    const query = serializeViewState({ ...DEFAULT_VIEW_STATE, camera: { position: [291500.00049, 5744500.1234567, 50], target: [291400, 5744400, 40] } });
    const { state } = parseViewState(query);
    expect(state.camera!.position[0]).toBe(291500);
    expect(state.camera!.position[1]).toBe(5744500.123);
  });

  it('leaves defaults out of the link and parses an empty query to the defaults', () => {
    expect(serializeViewState(DEFAULT_VIEW_STATE)).toBe('');
    expect(parseViewState('').state).toEqual(DEFAULT_VIEW_STATE);
  });

  it('keeps parameters it does not own', () => {
    const query = serializeViewState({ ...DEFAULT_VIEW_STATE, colourMode: 'intensity' }, 'worker=off&colour=rgb&lang=en');
    expect(new URLSearchParams(query).getAll('worker')).toEqual(['off']);
    expect(new URLSearchParams(query).getAll('colour')).toEqual(['intensity']);
    expect(new URLSearchParams(query).has('lang')).toBe(false);
  });

  it('reports malformed values and falls back to the defaults', () => {
    const { state, warnings } = parseViewState('?cam=1,2,3&colour=rainbow&budget=50&edl=yes&swipe=1.5&cls=2,300&elev=40,30&nav=fly&bc=3,1&size=0');
    expect(warnings).toEqual([
      'Invalid cam: 1,2,3',
      'Invalid nav: fly',
      'Invalid colour: rainbow',
      'Invalid budget: 50',
      'Invalid edl: yes',
      'Invalid swipe: 1.5',
      'Invalid cls: 2,300',
      'Invalid elev: 40,30',
      'Invalid bc: 3,1',
      'Invalid size: 0',
    ]);
    expect(state).toEqual(DEFAULT_VIEW_STATE);
  });

  it('accepts the budget limits 100 k and 10 M and refuses beyond', () => {
    expect(parseViewState('budget=100000').state.pointBudget).toBe(100_000);
    expect(parseViewState('budget=10000000').state.pointBudget).toBe(10_000_000);
    expect(parseViewState('budget=10000001').warnings).toEqual(['Invalid budget: 10000001']);
  });

  it('keeps the swipe pair only when it names two different loaded sources, and leaves the default pair out', () => {
    const three = 'url=/a.copc.laz&url=/b.copc.laz&url=/c.copc.laz';
    expect(parseViewState(`${three}&swipe=0.5&swipesrc=2,1`).state.swipeSources).toEqual([2, 1]);
    expect(parseViewState(`${three}&swipesrc=1,1`).warnings).toEqual(['Invalid swipesrc: 1,1']);
    expect(parseViewState(`${three}&swipesrc=0,3`).warnings).toEqual(['Invalid swipesrc: 0,3']);
    expect(parseViewState(`${three}&swipesrc=0.5,1`).warnings).toEqual(['Invalid swipesrc: 0.5,1']);
    expect(parseViewState(`${three}&swipesrc=0,3`).state.swipeSources).toBeUndefined();
    const { state } = parseViewState(three);
    expect(serializeViewState({ ...state, swipe: 0.5, swipeSources: [0, 1] })).not.toContain('swipesrc');
    expect(serializeViewState({ ...state, swipe: 0.5, swipeSources: [1, 0] })).toContain('swipesrc=1,0');
  });

  it('keeps the names of local files, in order, so a reopened link can ask for them', () => {
    const query = serializeViewState({ ...DEFAULT_VIEW_STATE, localFiles: ['a.copc.laz', 'b c.copc.laz'] });
    expect(new URLSearchParams(query).getAll('local')).toEqual(['a.copc.laz', 'b c.copc.laz']);
    expect(parseViewState(query).state.localFiles).toEqual(['a.copc.laz', 'b c.copc.laz']);
    expect(parseViewState('local=&url=/a.copc.laz').state.localFiles).toEqual([]);
  });

  it('refuses a camera whose eye is its target', () => {
    expect(parseViewState('cam=1,2,3,1,2,3').warnings).toEqual(['Invalid cam: 1,2,3,1,2,3']);
  });
});
