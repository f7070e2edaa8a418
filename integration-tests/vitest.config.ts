import { sluiceVitestConfig } from '../vitest.shared.ts';

export default sluiceVitestConfig({ globalSetup: ['@sluice/testkit/global-setup'], testTimeout: 60_000, fileParallelism: false });
