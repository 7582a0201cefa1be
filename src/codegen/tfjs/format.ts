/**
 * The style of generated modules. Generated code embeds no other language (CSS or GraphQL in
 * template literals), so prettier is spared its search for one (some 5% of its time on large models).
 */
export const formatStyle = { printWidth: 100, singleQuote: true, trailingComma: 'all', embeddedLanguageFormatting: 'off' } as const;

/**
 * Formats a generated module with prettier's standalone build, which needs no Node APIs.
 * TypeScript goes through the `babel-ts` parser: it prints our code exactly as the `typescript`
 * parser does (a test checks), about three times faster, and spares browsers the 3 MB typescript
 * plugin. Prettier is loaded on first use: `check` and the other commands never need it.
 */
export async function formatModule(code: string, language: 'ts' | 'js'): Promise<string> {
  const [{ format }, babel, estree] = await Promise.all([import('prettier/standalone'), import('prettier/plugins/babel'), import('prettier/plugins/estree')]);
  return format(code, { ...formatStyle, parser: language === 'ts' ? 'babel-ts' : 'babel', plugins: [estree, babel] });
}
