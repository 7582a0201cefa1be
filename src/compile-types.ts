import type { Diagnostic } from './diagnostics/diagnostic.js';
import { check, type CheckOptions } from './compile.js';
import { emitDeclarations } from './codegen/tfjs/emit-declarations.js';
import { formatModule } from './codegen/tfjs/format.js';

export interface TypesResult {
  ok: boolean;
  /** The text of `model.d.nn.ts`; null when the file has errors. */
  declarations: string | null;
  diagnostics: Diagnostic[];
}

/**
 * The declarations of a `.nn` file's module (`model.d.nn.ts`, for TypeScript's
 * `allowArbitraryExtensions`): every model of the file, with input and output names as keys and
 * ranks as tensor types. Never throws for anything in `source`.
 */
export async function compileTypes(source: string, options: Omit<CheckOptions, 'model'> = {}): Promise<TypesResult> {
  const filename = options.filename ?? '<input>';
  const checked = check(source, { ...options, model: undefined });
  if (!checked.ok || !checked.ir || checked.ir.models.length === 0) return { ok: false, declarations: null, diagnostics: checked.diagnostics };
  const declarations = await formatModule(emitDeclarations(checked.ir, filename), 'ts');
  return { ok: true, declarations, diagnostics: checked.diagnostics };
}
