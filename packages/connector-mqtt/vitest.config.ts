import { sluiceVitestConfig } from '../../vitest.shared.ts';

export default sluiceVitestConfig();
