import { nncPlugin } from './plugin.js';

/** `import nnc from 'nnc/rspack'`, then `plugins: [nnc(options)]` (see docs/build-tools.md). */
export default nncPlugin.rspack;
export type { NncPluginOptions } from './plugin.js';
