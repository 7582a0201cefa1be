import type { Severity } from './diagnostic.js';

/**
 * The one table of every diagnostic nnc reports. Codes are stable and grouped by phase:
 * 1xxx syntax, 2xxx names and arguments, 3xxx graph structure, 4xxx shapes, 5xxx training,
 * 6xxx signal propagation (the depth analysis).
 * Each code has an entry with an example in docs/diagnostics.md (a test keeps them in sync).
 */
export interface DiagnosticDef<P> {
  code: string;
  severity: Severity;
  /** A short, stable title used in docs and `--explain`. */
  title: string;
  message: (params: P) => string;
}

function def<P = Record<string, never>>(
  code: string,
  severity: Severity,
  title: string,
  message: (params: P) => string,
): DiagnosticDef<P> {
  return { code, severity, title, message };
}

type Named = { name: string };

/** A predicted trend of the signal through depth: what shrinks or grows, how fast, how far. */
interface Trend {
  quantity: string;
  change: string;
  perLayer: string;
  count: number;
  config: string;
  total: string;
  at: string;
  what: string;
}

const trendMessage = (p: Trend): string =>
  `${p.quantity} ${p.change} ×${p.perLayer} per layer over ${p.count} layer${p.count === 1 ? '' : 's'}${p.config ? ` (${p.config})` : ''} → ×${p.total} at \`${p.at}\`: ${p.what}`;

export const diagnosticTable = {
  // 1xxx syntax
  unexpectedCharacter: def<{ text: string }>('E1001', 'error', 'unexpected character', (p) => `unexpected character \`${p.text}\``),
  unexpectedToken: def<{ expected: string; found: string }>('E1002', 'error', 'unexpected token', (p) => `expected ${p.expected}, found ${p.found}`),
  unterminatedString: def('E1003', 'error', 'unterminated string', () => 'unterminated string literal'),
  invalidArgumentName: def('E1004', 'error', 'invalid argument name', () => 'the name before `=` in an argument must be a plain identifier'),
  positionalAfterKeyword: def('E1005', 'error', 'positional argument after keyword argument', () => 'positional arguments must come before keyword arguments'),
  nestingTooDeep: def<{ limit: number }>('E1007', 'error', 'nesting too deep', (p) => `brackets nest more than ${p.limit} levels deep`),
  invalidShape: def<{ found: string }>('E1006', 'error', 'invalid shape', (p) => `a shape dimension must be a positive integer or \`?\`, found ${p.found}`),

  // 2xxx names and arguments
  undefinedName: def<Named>('E2001', 'error', 'undefined name', (p) => `cannot find \`${p.name}\` in this scope`),
  duplicateDefinition: def<Named>('E2002', 'error', 'name defined twice', (p) => `\`${p.name}\` is defined more than once`),
  unknownOp: def<Named>('E2003', 'error', 'unknown layer or op', (p) => `unknown layer \`${p.name}\`: not an op, block or shared layer`),
  unknownArgument: def<{ op: string; name: string }>('E2004', 'error', 'unknown argument', (p) => `\`${p.op}\` has no argument named \`${p.name}\``),
  unknownActivation: def<Named>('E2005', 'error', 'unknown activation', (p) => `unknown activation \`${p.name}\``),
  unknownInitializer: def<Named>('E2006', 'error', 'unknown initializer', (p) => `unknown initializer \`${p.name}\``),
  unknownLoss: def<Named>('E2007', 'error', 'unknown loss', (p) => `unknown loss \`${p.name}\``),
  unknownOptimizer: def<Named>('E2008', 'error', 'unknown optimizer', (p) => `unknown optimizer \`${p.name}\``),
  unknownMetric: def<Named>('E2009', 'error', 'unknown metric', (p) => `unknown metric \`${p.name}\``),
  wrongArity: def<{ op: string; expected: string; found: number; what: string }>('E2010', 'error', 'wrong number of arguments', (p) => `\`${p.op}\` takes ${p.expected} ${p.what}, but ${p.found} ${p.found === 1 ? 'was' : 'were'} given`),
  missingArgument: def<{ op: string; name: string }>('E2011', 'error', 'missing required argument', (p) => `\`${p.op}\` needs the argument \`${p.name}\``),
  argumentType: def<{ op: string; name: string; expected: string; found: string }>('E2012', 'error', 'wrong argument type', (p) => `argument \`${p.name}\` of \`${p.op}\` must be ${p.expected}, found ${p.found}`),
  duplicateArgument: def<{ op: string; name: string }>('E2013', 'error', 'argument given twice', (p) => `argument \`${p.name}\` of \`${p.op}\` is given more than once`),
  invalidArgumentValue: def<{ op: string; name: string; reason: string }>('E2014', 'error', 'invalid argument value', (p) => `argument \`${p.name}\` of \`${p.op}\`: ${p.reason}`),
  unknownModel: def<{ name: string; available: string }>('E2015', 'error', 'unknown model', (p) => `there is no model named \`${p.name}\` (models in this file: ${p.available})`),
  notALayer: def<{ what: string }>('E2016', 'error', 'expected a layer', (p) => `${p.what} cannot be applied with \`->\`: expected a layer, op, block or shared layer`),
  notATensor: def<{ what: string }>('E2017', 'error', 'expected a tensor', (p) => `${p.what} is not a tensor: a pipeline must start from an input, a named tensor, a merge or a tuple`),
  unknownDtype: def<Named>('E2018', 'error', 'unknown dtype', (p) => `unknown input dtype \`${p.name}\` (expected float32 or int32)`),
  unknownTrainSetting: def<Named>('E2019', 'error', 'unknown training setting', (p) => `unknown training setting \`${p.name}\``),
  duplicateDeclaration: def<{ kind: string; name: string }>('E2020', 'error', 'declared twice', (p) => `${p.kind} \`${p.name}\` is declared more than once`),
  invalidBlockArgument: def<{ block: string; reason: string }>('E2021', 'error', 'invalid block argument', (p) => `block \`${p.block}\`: ${p.reason}`),
  noModels: def('E2022', 'error', 'no model in file', () => 'this file declares no model'),
  ambiguousModel: def<{ count: number }>('E2023', 'error', 'several models to choose from', (p) => `this file declares ${p.count} models; choose the one to compile`),

  // 3xxx graph structure
  cycle: def<{ path: string }>('E3001', 'error', 'cycle in the graph', (p) => `these definitions depend on each other in a cycle: ${p.path}`),
  noOutputs: def<Named>('E3002', 'error', 'no outputs', (p) => `\`${p.name}\` has no \`output\``),
  unusedInput: def<Named>('W3003', 'warning', 'unused input', (p) => `input \`${p.name}\` is never used`),
  unusedDefinition: def<Named>('W3004', 'warning', 'result never reaches an output', (p) => `\`${p.name}\` is computed but never reaches an output`),
  blockRecursion: def<{ path: string }>('E3005', 'error', 'recursive block', (p) => `blocks cannot use themselves: ${p.path}`),
  sharedLayerShape: def<{ name: string; input: string; needs: string; has: string }>('E3006', 'error', 'shared layer applied to incompatible shapes', (p) => `shared layer \`${p.name}\` applied to ${p.input} would need ${p.needs}, but its weights are ${p.has}`),
  tupleArity: def<{ target: string; expected: number; found: number }>('E3007', 'error', 'wrong number of tensors', (p) => `\`${p.target}\` takes ${p.expected} tensor${p.expected === 1 ? '' : 's'}, but ${p.found} ${p.found === 1 ? 'is' : 'are'} given`),
  noInputs: def<Named>('E3008', 'error', 'no inputs', (p) => `\`${p.name}\` has no \`input\``),
  missingInputShape: def<Named>('E3009', 'error', 'input without shape', (p) => `model input \`${p.name}\` needs a shape, e.g. \`input ${p.name}: [10]\``),
  unusedBlock: def<Named>('W3012', 'warning', 'unused block', (p) => `block \`${p.name}\` is never used, so its body is not checked`),
  unusedLayer: def<Named>('W3010', 'warning', 'unused shared layer', (p) => `shared layer \`${p.name}\` is never used`),
  tooDeepForTfjs: def<{ depth: number; limit: number }>('E3013', 'error', 'too deep for TensorFlow.js', (p) => `the TensorFlow.js model would chain ${p.depth} layers that cannot be built in parts; it builds at most ${p.limit}`),

  // 4xxx shapes and types
  incompatibleShapes: def<{ op: string; detail: string }>('E4001', 'error', 'incompatible shapes', (p) => `${p.op}: ${p.detail}`),
  wrongRank: def<{ op: string; expected: string; shape: string }>('E4002', 'error', 'wrong input rank', (p) => `\`${p.op}\` expects ${p.expected}, but its input has shape ${p.shape}`),
  reshapeSize: def<{ from: string; to: string; detail: string }>('E4003', 'error', 'reshape changes the number of elements', (p) => `cannot reshape ${p.from} to ${p.to}: ${p.detail}`),
  emptyDimension: def<{ op: string; shape: string }>('E4004', 'error', 'shape collapses to zero', (p) => `\`${p.op}\` would produce shape ${p.shape}, which has a dimension of size 0 or less`),
  unknownDimension: def<{ op: string; shape: string; detail: string }>('E4005', 'error', 'dimension must be known', (p) => `\`${p.op}\` needs ${p.detail}, but its input has shape ${p.shape}`),
  dtypeMismatch: def<{ op: string; expected: string; found: string }>('E4006', 'error', 'wrong input dtype', (p) => `\`${p.op}\` expects ${p.expected} input, found ${p.found}`),
  backendGradient: def<{ op: string; detail: string }>('W4008', 'warning', 'TensorFlow.js computes a wrong gradient', (p) => `\`${p.op}\`: ${p.detail}`),
  initializerShape: def<{ init: string; detail: string }>('E4007', 'error', 'initializer does not fit the weights', (p) => `\`${p.init}\` ${p.detail}`),

  // 5xxx training configuration
  lossForUnknownOutput: def<Named>('E5001', 'error', 'loss for an unknown output', (p) => `there is no output named \`${p.name}\``),
  missingLoss: def<Named>('E5002', 'error', 'output without loss', (p) => `output \`${p.name}\` has no loss`),
  lossActivationMismatch: def<{ loss: string; activation: string; output: string; detail: string }>('W5003', 'warning', 'loss does not fit the output', (p) => `\`${p.loss}\` on output \`${p.output}\`, which ends in \`${p.activation}\`: ${p.detail}`),
  invalidTrainSetting: def<{ name: string; reason: string }>('E5004', 'error', 'invalid training setting', (p) => `\`${p.name}\` ${p.reason}`),
  lossShapeMismatch: def<{ loss: string; output: string; shape: string; detail: string }>('E5005', 'error', 'loss does not fit the output shape', (p) => `\`${p.loss}\` on output \`${p.output}\` with shape ${p.shape}: ${p.detail}`),
  duplicateTrainBlock: def('E5006', 'error', 'train block given twice', () => 'a model has at most one `train { }` block'),
  metricsForUnknownOutput: def<Named>('E5007', 'error', 'metrics for an unknown output', (p) => `there is no output named \`${p.name}\``),
  logNameClash: def<{ output: string; log: string; other: string }>('E5009', 'error', 'a training log and a validation log share a name', (p) => `output \`${p.output}\` logs \`${p.log}\` in training, the very name of the validation log of \`${p.other}\``),
  metricLossMismatch: def<{ metric: string; output: string; loss: string; detail: string }>('W5008', 'warning', 'metric does not fit the output\'s loss', (p) => `\`${p.metric}\` on output \`${p.output}\`, trained with \`${p.loss}\`: ${p.detail}`),

  // 6xxx signal propagation at initialization
  vanishingSignal: def<Trend>('W6001', 'warning', 'vanishing signal', trendMessage),
  explodingSignal: def<Trend>('W6002', 'warning', 'exploding signal', trendMessage),
  vanishingGradient: def<Trend>('W6003', 'warning', 'vanishing gradient', trendMessage),
  explodingGradient: def<Trend>('W6004', 'warning', 'exploding gradient', trendMessage),
} as const;

export type DiagnosticKey = keyof typeof diagnosticTable;
export type DiagnosticParams<K extends DiagnosticKey> =
  (typeof diagnosticTable)[K] extends DiagnosticDef<infer P> ? P : never;

export function diagnosticByCode(code: string): DiagnosticDef<unknown> | undefined {
  for (const entry of Object.values(diagnosticTable)) {
    if (entry.code === code) return entry as DiagnosticDef<unknown>;
  }
  return undefined;
}
