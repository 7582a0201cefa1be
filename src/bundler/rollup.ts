import { nncPlugin } from './plugin.js';

/** `import nnc from 'nnc/rollup'`, then `plugins: [nnc(options)]` (see docs/build-tools.md). */
export default nncPlugin.rollup;
export type { NncPluginOptions } from './plugin.js';
