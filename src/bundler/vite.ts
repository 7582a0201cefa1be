import { nncPlugin } from './plugin.js';

/** `import nnc from 'nnc/vite'`, then `plugins: [nnc(options)]` (see docs/build-tools.md). */
export default nncPlugin.vite;
export type { NncPluginOptions } from './plugin.js';
