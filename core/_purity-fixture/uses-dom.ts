// A deliberate violation of the core purity rule (DOM access), compiled by tests/core/purity.test.ts to prove that
// core/tsconfig.json has no DOM library. Excluded from the normal build.
export const title = document.title;
