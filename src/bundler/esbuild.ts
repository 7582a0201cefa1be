import { nncPlugin } from './plugin.js';

/** `import nnc from 'nnc/esbuild'`, then `plugins: [nnc(options)]` (see docs/build-tools.md). */
export default nncPlugin.esbuild;
export type { NncPluginOptions } from './plugin.js';
