/**
 * Compile speed on synthetic models (bench/generate-model.ts) of 100 to 50,000 layers, split into
 * the pipeline's phases: parse (source to syntax tree), check (names, shapes, depth analysis, IR),
 * emit (the generated module's text) and format (prettier on all but the tables).
 */
import { checkProgram } from '../src/check/check-program.js';
import { emitModule } from '../src/codegen/tfjs/emit-module.js';
import { formatModule } from '../src/codegen/tfjs/format.js';
import { spliceTables } from '../src/codegen/tfjs/tables.js';
import { Reporter } from '../src/diagnostics/reporter.js';
import { parse } from '../src/parse/parse.js';
import { syntheticModel } from './generate-model.js';
import { median, ms } from './timing.js';

const SIZES = [100, 1_000, 10_000, 50_000];

async function phases(source: string): Promise<Record<'parse' | 'check' | 'emit' | 'format', number>> {
  let t = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - t;
    t = now;
    return elapsed;
  };
  const reporter = new Reporter();
  const program = parse(source, reporter);
  const parseMs = lap();
  const { ir } = checkProgram(program, reporter, { filename: 'synthetic.nn', requireOne: true });
  const checkMs = lap();
  const model = ir?.models[0];
  if (!model || reporter.errorCount > 0) throw new Error(`the synthetic model does not check: ${reporter.diagnostics[0]?.message}`);
  const emitted = emitModule(model, { format: 'ts', filename: 'synthetic.nn' });
  const emitMs = lap();
  spliceTables(await formatModule(emitted.code, 'ts'), emitted.tables);
  return { parse: parseMs, check: checkMs, emit: emitMs, format: lap() };
}

export async function compileSpeed(): Promise<void> {
  console.log('compile speed: wall time, median of runs after warm-up (check = parse + check phase, compile = all four)');
  console.log('layers      parse      check       emit     format   | check total  compile total   per layer');
  for (let i = 0; i < 3; i++) await phases(syntheticModel(200));
  for (const layers of SIZES) {
    const source = syntheticModel(layers);
    const runs = layers >= 50_000 ? 3 : layers >= 10_000 ? 5 : 10;
    const samples: Array<Awaited<ReturnType<typeof phases>>> = [];
    for (let i = 0; i < runs; i++) samples.push(await phases(source));
    const m = (key: keyof (typeof samples)[number]) => median(samples.map((s) => s[key]));
    const checked = median(samples.map((s) => s.parse + s.check));
    const total = median(samples.map((s) => s.parse + s.check + s.emit + s.format));
    console.log(
      `${String(layers).padStart(6)}  ${ms(m('parse'), 9)}  ${ms(m('check'), 9)}  ${ms(m('emit'), 9)}  ${ms(m('format'), 9)}   | ${ms(checked, 11)}  ${ms(total, 13)}   ${((total / layers) * 1000).toFixed(0)} µs`,
    );
  }
}
