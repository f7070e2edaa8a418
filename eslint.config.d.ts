import type { Linter } from 'eslint';

/** The import-boundary rules alone, for the test that proves they fire. */
export declare const boundaries: Linter.Config[];
declare const config: Linter.Config[];
export default config;
