/** The repository's examples/, bundled into the page at build time (no request at run time). */
const files = import.meta.glob('../../examples/*.nn', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const EXAMPLES: ReadonlyArray<{ name: string; text: string }> = Object.entries(files)
  .map(([path, text]) => ({ name: path.slice(path.lastIndexOf('/') + 1), text }))
  .sort((a, b) => a.name.localeCompare(b.name));
