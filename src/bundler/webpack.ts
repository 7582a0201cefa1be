import { nncPlugin } from './plugin.js';

/** `import nnc from 'nnc/webpack'`, then `plugins: [nnc(options)]` (see docs/build-tools.md). */
export default nncPlugin.webpack;
export type { NncPluginOptions } from './plugin.js';
