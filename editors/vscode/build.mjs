// `npm run build`: the TextMate grammar from the repository's grammar/, and the client bundled
// into one file (VS Code provides `vscode`; everything else, the language client included, is inlined).
import { copyFileSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

mkdirSync('syntaxes', { recursive: true });
copyFileSync('../../grammar/nn.tmLanguage.json', 'syntaxes/nn.tmLanguage.json');

await build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  external: ['vscode'],
  minify: true,
  sourcemap: true,
  logLevel: 'info',
});
