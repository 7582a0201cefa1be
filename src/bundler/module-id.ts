/** A `.nn` import as the plugin sees it: the file, and the model a `?model=Name` query selects. */
export interface NnModuleId {
  file: string;
  model: string | undefined;
}

const NN_ID = /\.nn(?:\?[^#]*)?$/;

/** Whether an import specifier or module id names a `.nn` file, with or without a query. */
export function isNnId(id: string): boolean {
  return NN_ID.test(id) && !id.startsWith('\0');
}

export function parseNnId(id: string): NnModuleId {
  const at = id.indexOf('?');
  if (at < 0) return { file: id, model: undefined };
  const query = new URLSearchParams(id.slice(at + 1));
  return { file: id.slice(0, at), model: query.get('model') ?? undefined };
}

export function nnId(file: string, model: string | undefined): string {
  return model === undefined ? file : `${file}?model=${encodeURIComponent(model)}`;
}
