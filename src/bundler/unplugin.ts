/** `nnc/unplugin`: the plugin as unplugin's instance (`.vite`, `.rollup`, `.esbuild`, `.webpack`, `.rspack`, ...). */
export { nncPlugin as default, nncPlugin } from './plugin.js';
export type { NncPluginOptions } from './plugin.js';
