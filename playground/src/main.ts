import './style.css';
import type { ServiceDiagnostic } from '../../src/service/types.js';
import { NnEditor, type UpdateAnswer } from './editor.js';
import { EXAMPLES } from './examples.js';
import { loadServedFile, saveServedFile } from './file-server.js';
import { renderProblems } from './problems.js';
import { ServiceClient } from './service-client.js';
import type { GradcheckAnswer } from './gradcheck-worker.js';
import { GraphView } from './graph-view.js';
import { Tabs } from './tabs.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const setStatus = (text: string, state: string) => {
  status.textContent = text;
  status.dataset.state = state;
};

const client = new ServiceClient(
  (answer) => showAnalysis(answer),
  (message) => setStatus(message, 'error'),
);
const editor = new NnEditor($('editor'), client, () => setStatus('checking…', 'busy'));

function jump(d: ServiceDiagnostic): void {
  editor.select(d.range);
}

function showAnalysis(answer: UpdateAnswer): void {
  if (!editor.apply(answer)) return;
  renderProblems($('problems'), $('problem-count'), answer.diagnostics, jump);
  const errors = answer.diagnostics.filter((d) => d.severity === 'error').length;
  setStatus(errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : 'checked', errors > 0 ? 'error' : 'ok');
  document.body.dataset.analyzedVersion = String(answer.version);
  // For `npm run bench`: when the page first showed what nnc says about the text.
  if (performance.getEntriesByName('nnc:first-analysis').length === 0) performance.mark('nnc:first-analysis');
  tabs.refresh();
}

const graph = new GraphView($('graph'), (range) => editor.select(range));
editor.onCursor = (position) => graph.highlight(position);

const tabs = new Tabs(['graph', 'summary', 'depth', 'code', 'gradcheck'], async (name, panel) => {
  if (name === 'gradcheck') return;
  if (name === 'graph') {
    const { graphs, reason } = await client.request('graph', {});
    graph.show(graphs, reason);
    graph.highlight(editor.cursor());
    return;
  }
  if (name === 'code') {
    const { code, reason } = await client.request('code', {});
    panel.querySelector('pre')!.textContent = code ?? `No code: ${reason ?? ''}`;
    panel.dataset.hasCode = String(code !== null);
    return;
  }
  const { summary, depth } = await client.request('panels', {});
  panel.querySelector('pre')!.textContent = (name === 'summary' ? summary : depth) || 'No model has checked yet: fix the errors in the problems list.';
});

$('copy-code').addEventListener('click', () => void navigator.clipboard?.writeText($('panel-code').querySelector('pre')!.textContent ?? ''));
$('download-code').addEventListener('click', () => {
  if ($('panel-code').dataset.hasCode !== 'true') return;
  download('model.ts', new Blob([$('panel-code').querySelector('pre')!.textContent ?? ''], { type: 'text/typescript' }));
});

function download(name: string, blob: Blob): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

$('export-svg').addEventListener('click', () => {
  const svg = graph.svgText();
  if (svg) download('model-graph.svg', new Blob([svg], { type: 'image/svg+xml' }));
});
$('export-png').addEventListener('click', async () => {
  const svg = graph.svgText();
  if (!svg) return;
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  await image.decode();
  const canvas = document.createElement('canvas');
  // Twice the size on screen, so that the labels stay sharp.
  canvas.width = image.width * 2;
  canvas.height = image.height * 2;
  const context = canvas.getContext('2d')!;
  context.scale(2, 2);
  context.drawImage(image, 0, 0);
  URL.revokeObjectURL(image.src);
  canvas.toBlob((blob) => blob && download('model-graph.png', blob), 'image/png');
});

let gradchecking: Worker | undefined;
$('run-gradcheck').addEventListener('click', () => {
  gradchecking?.terminate();
  const worker = new Worker(new URL('./gradcheck-worker.ts', import.meta.url), { type: 'module' });
  gradchecking = worker;
  const panel = $('panel-gradcheck');
  const state = $('gradcheck-status');
  state.textContent = 'checking…';
  state.dataset.state = 'busy';
  worker.onmessage = (event: MessageEvent<GradcheckAnswer>) => {
    panel.querySelector('pre')!.textContent = event.data.table;
    state.textContent = event.data.passed ? `✔ every tensor passed (${event.data.grades.length})` : event.data.grades.length > 0 ? '✖ not every tensor passed: see the grades' : '✖ not checked';
    state.dataset.state = event.data.passed ? 'ok' : 'error';
    worker.terminate();
    if (gradchecking === worker) gradchecking = undefined;
  };
  worker.onerror = (event) => {
    state.textContent = `✖ the gradient check stopped: ${event.message}`;
    state.dataset.state = 'error';
  };
  worker.postMessage({ text: editor.text() });
});

$('format').addEventListener('click', async () => {
  const count = await editor.format();
  if (count === 0) setStatus(editor.text() ? 'already formatted (or has syntax errors)' : 'nothing to format', status.dataset.state ?? 'ok');
});

const examples = $<HTMLSelectElement>('examples');
for (const example of EXAMPLES) examples.add(new Option(example.name, example.name));
examples.addEventListener('change', () => {
  const example = EXAMPLES.find((e) => e.name === examples.value);
  if (example) editor.setText(example.text);
});

async function start(): Promise<void> {
  const served = await loadServedFile();
  if (served) {
    $('file').textContent = served.name;
    const save = $<HTMLButtonElement>('save');
    save.hidden = false;
    save.textContent = `Save to ${served.name}`;
    save.addEventListener('click', async () => {
      const result = await saveServedFile(editor.text());
      setStatus(result.ok ? `saved ${served.name}` : `not saved: ${result.message}`, result.ok ? 'ok' : 'error');
    });
    examples.insertBefore(new Option(served.name, ''), examples.firstChild);
    examples.value = '';
    editor.setText(served.text);
  } else {
    const first = EXAMPLES.find((e) => e.name === 'mlp.nn') ?? EXAMPLES[0];
    if (first) {
      examples.value = first.name;
      editor.setText(first.text);
    }
  }
  editor.analyzeNow();
}

void start();
