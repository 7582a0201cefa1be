import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runProcess } from '../../src/cli/python.js';
import { workFolder } from '../../src/cli/train-torch.js';
import { compileTorch } from '../../src/compile-torch.js';
import { TORCHRUN_PY } from '../../src/codegen/torch/python-sources.js';
import { relativeDifference } from '../../src/reference/gradcheck.js';
import { DEBIAN_PYTHON, hasSystemDependency } from '../support/system-deps.js';
import { worker } from './support/processes.js';
import { realIO } from './support/real-io.js';

/**
 * train.py under torchrun on the CPU (gloo): two processes train iris exactly as one does with the
 * same global batch and seed, on one node and as two nodes meeting at a rendezvous; only the main process writes; a worker killed mid-run makes the run
 * fail cleanly, leaving the earlier run as it was, and the same command with --resume continues
 * from the checkpoint to the end.
 */

const root = join(import.meta.dirname, '../..');
const iris = join(root, 'examples/iris.nn');
const data = join(root, 'examples/data/iris.csv');
const dir = mkdtempSync(join(tmpdir(), 'nnc-torchrun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface History {
  status: string;
  epochs: Array<Record<string, number>>;
  batches: Array<{ epoch: number; batch: number; loss: number }>;
  processes: number;
}
/** A TCP port free on this machine now, for the rendezvous. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const history = (out: string): History => JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));

/**
 * Every file a process creates, changes, renames or removes under `watched`, recorded with Python's
 * audit hooks and written to LOG_DIR/rank-N.json when the process ends; then train.py runs as torchrun runs it.
 */
const AUDIT = String.raw`
import atexit, json, os, runpy, sys
watched, logs, records = os.environ["WATCHED"], os.environ["LOG_DIR"], []
def hook(event, args):
    if event == "open" and args[0] is not None and isinstance(args[0], str):
        mode, flags = args[1], args[2]
        writes = any(c in mode for c in "wax+") if mode else bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        if writes and args[0].startswith(watched):
            records.append(["open", args[0]])
    elif event in ("os.rename", "os.replace", "os.remove", "os.mkdir", "os.rmdir", "shutil.copyfile", "shutil.rmtree"):
        paths = [str(a) for a in args if isinstance(a, (str, bytes, os.PathLike))]
        if any(p.startswith(watched) for p in paths):
            records.append([event, *paths])
sys.dont_write_bytecode = True
sys.addaudithook(hook)
def save():
    done = list(records)
    with open(os.path.join(logs, "rank-%s.json" % os.environ.get("RANK", "0")), "w") as f:
        json.dump(done, f)
atexit.register(save)
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
`;

async function nnc(argv: string[]) {
  const { io, stdout, stderr } = realIO();
  const code = await main(argv, io);
  return { code, out: stdout(), err: stderr() };
}

describe.skipIf(!hasSystemDependency('python3-torch'))('torchrun with gloo on the CPU', () => {
  test('two processes follow the trajectory of one with the same global batch and seed, and only the main one writes', async () => {
    const single = join(dir, 'single');
    const one = await nnc(['train', iris, '--data', data, '--engine', 'torch', '--out', single, '--epochs', '3']);
    expect(one.err).toBe('');
    expect(one.code).toBe(0);

    // torchrun itself, as a user runs it on the generated train.py, each process audited.
    const code = join(dir, 'code');
    const watched = join(dir, 'two');
    const logs = join(dir, 'logs');
    mkdirSync(code);
    mkdirSync(watched);
    mkdirSync(logs);
    for (const [name, text] of Object.entries(compileTorch(readFileSync(iris, 'utf8'), { filename: iris }).files!)) writeFileSync(join(code, name), text);
    writeFileSync(join(code, 'audit.py'), AUDIT);
    const out = join(watched, 'Iris');
    const env = { ...process.env, WATCHED: watched, LOG_DIR: logs, OMP_NUM_THREADS: '1' };
    const two = await runProcess(DEBIAN_PYTHON, ['-c', TORCHRUN_PY, '--standalone', '--nproc_per_node=2', join(code, 'audit.py'), join(code, 'train.py'), '--data', data, '--out', out, '--epochs', '3'], '', 240_000, env);
    expect(two.stderr).toBe('');
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('epochs of batch 16 (global: 2 processes × 8 per device), PyTorch');
    expect(two.stdout.match(/^epoch \d\/3 /gm)).toHaveLength(3);

    const a = history(single);
    const b = history(out);
    expect([a.processes, b.processes]).toEqual([1, 2]);
    expect(b.batches.map((x) => [x.epoch, x.batch])).toEqual(a.batches.map((x) => [x.epoch, x.batch]));
    expect(relativeDifference(b.batches.map((x) => x.loss), a.batches.map((x) => x.loss))).toBeLessThan(1e-5);
    for (const name of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      expect(relativeDifference(b.epochs.map((e) => e[name]!), a.epochs.map((e) => e[name]!)), name).toBeLessThan(1e-5);
    }

    const rank = (n: number): string[][] => JSON.parse(readFileSync(join(logs, `rank-${n}.json`), 'utf8'));
    expect(rank(1)).toEqual([]);
    const written = rank(0).flatMap((r) => r.slice(1).filter((p) => p.startsWith(watched)).map((p) => p.slice(watched.length + 1)));
    expect(written).toEqual(expect.arrayContaining(['.Iris.partial/checkpoint.pt', '.Iris.partial/model.pt', '.Iris.partial/history.json', '.Iris.partial']));
    expect(readdirSync(watched)).toEqual(['Iris']);
  }, 300_000);

  test('two machines (two torchrun agents, one process each, meeting at a c10d rendezvous) train as one process does', async () => {
    // The command of docs/pytorch.md's "Several machines", run twice on this machine as nodes 0 and
    // 1 of --nnodes=2, each with its own copy of the code, as two machines would have.
    const port = await freePort();
    const watched = join(dir, 'nodes');
    const logs = join(dir, 'node-logs');
    mkdirSync(watched);
    mkdirSync(logs);
    const out = join(watched, 'Iris');
    const node = (n: number) => {
      const code = join(dir, `node-${n}`);
      mkdirSync(code);
      for (const [name, text] of Object.entries(compileTorch(readFileSync(iris, 'utf8'), { filename: iris }).files!)) writeFileSync(join(code, name), text);
      writeFileSync(join(code, 'audit.py'), AUDIT);
      const env = { ...process.env, WATCHED: watched, LOG_DIR: join(logs, `node-${n}`), OMP_NUM_THREADS: '1' };
      mkdirSync(env.LOG_DIR);
      const rendezvous = ['--nnodes=2', '--nproc_per_node=1', '--rdzv_backend=c10d', `--rdzv_endpoint=127.0.0.1:${port}`, '--rdzv_id=nnc-test'];
      return runProcess(DEBIAN_PYTHON, ['-c', TORCHRUN_PY, ...rendezvous, join(code, 'audit.py'), join(code, 'train.py'), '--data', data, '--out', out, '--epochs', '3'], '', 240_000, env);
    };
    const [first, second] = await Promise.all([node(0), node(1)]);
    // Both agents are on the rendezvous host here, so the second one's attempt to host the store
    // fails to bind (as it would not on another machine) and it joins as a client, retrying while
    // the first is not listening yet: torch's socket layer logs that, and only that is let through.
    // The elastic agents may also warn while they take the rendezvous down in turn at the end.
    const bindNoise = /^(WARNING: Logging before InitGoogleLogging\(\) is written to STDERR|[WE]\d{8} [\d:.]+ +\d+ socket\.cpp:\d+\] \[c10d\] .*|WARNING:torch\.distributed\.elastic\.rendezvous\.dynamic_rendezvous:The node '\S+' has failed to shutdown the rendezvous .*)$/;
    const errors = (first.stderr + second.stderr).split('\n').filter((line) => line !== '' && !bindNoise.test(line));
    expect(errors).toEqual([]);
    expect([first.code, second.code]).toEqual([0, 0]);
    // One of the two agents' processes became rank 0: it alone printed the run.
    const [main, other] = first.stdout.includes('epochs of batch') ? [first, second] : [second, first];
    expect(main.stdout).toContain('epochs of batch 16 (global: 2 processes × 8 per device), PyTorch');
    expect(other.stdout).toBe('');

    const a = history(join(dir, 'single'));
    const b = history(out);
    expect(b.processes).toBe(2);
    expect(relativeDifference(b.batches.map((x) => x.loss), a.batches.map((x) => x.loss))).toBeLessThan(1e-5);
    expect(relativeDifference(b.epochs.map((e) => e.val_loss!), a.epochs.map((e) => e.val_loss!))).toBeLessThan(1e-5);
    const ranks = readdirSync(logs).flatMap((n) => readdirSync(join(logs, n)).map((f) => JSON.parse(readFileSync(join(logs, n, f), 'utf8')) as string[][]));
    expect(ranks.filter((records) => records.length > 0)).toHaveLength(1);
    expect(readdirSync(watched)).toEqual(['Iris']);
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['model.pt', 'model.onnx', 'history.json']));
  }, 300_000);

  test('--sync-bn gives two processes the batch statistics of one; without it each normalises its own half', async () => {
    const source = join(dir, 'bn.nn');
    // No bias before batch_norm: its true gradient is 0, and Adam would turn each run's float32
    // rounding noise into full steps of it (and so into different moving means).
    const bn = 'hidden = features -> dense(16, bias=false) -> batch_norm(momentum=0.9) -> relu -> dense(16, relu)';
    writeFileSync(source, readFileSync(iris, 'utf8').replace('hidden = features -> dense(16, relu) -> dense(16, relu)', bn));
    const run = async (name: string, extra: string[]) => {
      const out = join(dir, name);
      const r = await nnc(['train', source, '--data', data, '--engine', 'torch', '--out', out, '--epochs', '2', ...extra]);
      expect(r.err, name).toBe('');
      expect(r.code, name).toBe(0);
      const h = history(out);
      return [...h.batches.map((b) => b.loss), ...h.epochs.map((e) => e.val_loss!)];
    };
    const one = await run('bn-one', []);
    const synced = await run('bn-synced', ['--nproc', '2', '--sync-bn']);
    const separate = await run('bn-separate', ['--nproc', '2']);
    expect(relativeDifference(synced, one)).toBeLessThan(1e-5);
    expect(relativeDifference(separate, one)).toBeGreaterThan(1e-3);
  }, 300_000);

  test('a killed worker fails the run cleanly; the same command with --resume continues from the checkpoint', async () => {
    const out = join(dir, 'resumed');
    mkdirSync(out);
    writeFileSync(join(out, 'history.json'), '{"earlier": true}\n');
    const argv = ['train', iris, '--data', data, '--engine', 'torch', '--nproc', '2', '--out', out, '--plain'];
    const { io, stdout, stderr } = realIO();
    const running = main([...argv, '--epochs', '300'], io);
    let killed: number | undefined;
    for (let i = 0; i < 1200 && killed === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const epochs = stdout().match(/^epoch +\d+\/300/gm)?.length ?? 0;
      const victim = epochs >= 3 && existsSync(join(workFolder(out), 'checkpoint.pt')) ? worker(1) : undefined;
      if (victim !== undefined) {
        process.kill(victim, 'SIGKILL');
        killed = victim;
      }
    }
    expect(killed, stdout() + stderr()).toBeDefined();
    expect(await running).toBe(1);
    expect(stderr()).toMatch(/^error: training stopped after epoch \d+: process 1 of 2 was killed \(signal 9, SIGKILL\), and torchrun ended the others$/m);
    expect(stderr()).toContain(`= note: \`${out}\` is as it was: a run replaces it only once complete`);
    expect(stderr()).toContain('= help: the same command with --resume continues from the last checkpoint');
    expect(stderr()).not.toContain('Traceback');
    expect(readdirSync(out)).toEqual(['history.json']);
    expect(readFileSync(join(out, 'history.json'), 'utf8')).toBe('{"earlier": true}\n');
    const reached = Math.max(...[...stdout().matchAll(/^epoch +(\d+)\/300/gm)].map((m) => Number(m[1])));

    const epochs = reached + 2;
    const resumed = await nnc([...argv, '--epochs', String(epochs), '--resume']);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^resuming from the checkpoint of epoch \d+$/m);
    const first = Number(/^resuming from the checkpoint of epoch (\d+)$/m.exec(resumed.out)![1]) + 1;
    expect(resumed.out).toMatch(new RegExp(`^epoch +${first}/${epochs} `, 'm'));
    expect(resumed.out).not.toMatch(new RegExp(`^epoch +${first - 1}/${epochs} `, 'm'));
    const h = history(out);
    expect(h.status).toBe('completed');
    expect(h.epochs.map((e) => e.epoch)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    expect(h.batches).toHaveLength(epochs * 8);
    // Up to where the single-process run of the first test went, the same trajectory.
    const reference = history(join(dir, 'single'));
    expect(relativeDifference(h.epochs.slice(0, 3).map((e) => e.loss!), reference.epochs.map((e) => e.loss!))).toBeLessThan(1e-5);
    expect(existsSync(workFolder(out))).toBe(false);
    expect(readdirSync(out)).toContain('model.pt');
  }, 300_000);
});
