/**
 * core/measure public API: pure functions over plain point columns, for workers/measure-api.ts, the CLI and
 * the viewer tools.
 */
export {
  applyBuildingAccuracy,
  measureBuildingHeight,
  parseBuildingReference,
  type BuildingDetail,
  type BuildingUncertainty,
  type BuildingMeasurement,
  type BuildingReference,
  type EaveLine,
  type MeasureBuildingOptions,
  type ReferenceReport,
  type RoofPlaneReport,
  type RoofType,
  type Superstructure,
} from './building-height.ts';
export {
  cutSection,
  type CrossSection,
  type CutSectionOptions,
  type SectionCarriageway,
  type SectionFootpath,
  type SectionKerb,
  type SectionLine,
  type SectionSegment,
  type SectionVertex,
  type SegmentKind,
} from './cross-section.ts';
export { isMeasurable, NOISE_CLASSES, type MeasurePoints } from './measure-points.ts';
export { labelPasses, PASS_GAP_S, passesFromTime, samePass, type PassLabels } from './passes.ts';
export { spotDifferenceSigma, spotHeight, spotQueryRadiusM, type SpotHeight, type SpotHeightOptions } from './spot-height.ts';
export {
  checkAccuracy,
  combineSigmas,
  DEFAULT_RELATIVE_ACCURACY_M,
  differenceSystematicSigma,
  estimateRelativeAccuracy,
  mergePassMix,
  PASS_NEIGHBOURHOOD_M,
  passMix,
  planeHatWeights,
  planeSigmaAt,
  systematicSigma,
  type PassContext,
  type PassWeight,
  type RelativeAccuracy,
  type RelativeAccuracyOptions,
} from './uncertainty.ts';
export { judgeAgainstLimit, type JudgeOptions, type LimitJudgement, type LimitVerdict } from './verdict.ts';
export {
  formatWarning,
  inContext,
  measureWarning,
  WARNING_CONTEXTS_DE,
  WARNING_CONTEXTS_EN,
  WARNING_FORMAT_DE,
  WARNING_TEXTS_DE,
  WARNING_TEXTS_EN,
  warningTexts,
  type FormatWarningOptions,
  type MeasureWarning,
  type MeasureWarningCode,
  type WarningContext,
} from './warnings.ts';
