import type { Position, Range } from '../../src/service/types.js';
import type { GraphNode, LaidOutGraph } from './graph-model.js';

const SVG = 'http://www.w3.org/2000/svg';
const ICONS = { error: '✖', warning: '▲', info: 'ℹ' } as const;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.append(node);
  return node;
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

function size(range: Range): number {
  return (range.end.line - range.start.line) * 10_000 + range.end.character - range.start.character;
}

/**
 * The graph panel: the laid-out DAG as SVG. A node is a button: clicking it (or Enter on it)
 * selects its source; the arrow keys move between nodes in the order of the model. Moving the
 * cursor in the editor marks the node whose source it is in.
 */
export class GraphView {
  private nodes: Array<{ node: GraphNode; element: SVGGElement }> = [];

  constructor(private readonly host: HTMLElement, private readonly select: (range: Range) => void) {}

  show(graphs: readonly LaidOutGraph[], reason: string | undefined): void {
    this.host.replaceChildren();
    this.nodes = [];
    if (graphs.length === 0) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = `No graph: ${reason ?? 'nothing checked yet'}.`;
      this.host.append(p);
      return;
    }
    for (const graph of graphs) this.host.append(this.draw(graph));
  }

  private draw(graph: LaidOutGraph): SVGSVGElement {
    const svg = el('svg', { width: graph.width, height: graph.height, viewBox: `0 0 ${graph.width} ${graph.height}`, role: 'group', 'aria-label': `graph of model ${graph.model}`, class: 'graph' });
    el('title', {}, svg).textContent = `Model ${graph.model}`;
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: `arrow-${graph.model}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }, marker);
    for (const group of graph.groups) {
      const g = el('g', { class: 'group' }, svg);
      el('rect', { x: group.x, y: group.y, width: group.width, height: group.height, rx: 6 }, g);
      el('text', { x: group.x + 6, y: group.y + 13 }, g).textContent = group.label;
    }
    for (const edge of graph.edges) {
      const g = el('g', { class: 'edge', 'data-from': edge.from, 'data-to': edge.to }, svg);
      el('polyline', { points: edge.points.map((p) => `${p.x},${p.y}`).join(' '), 'marker-end': `url(#arrow-${graph.model})` }, g);
      const label = el('text', { x: edge.labelX, y: edge.labelY + 4, 'text-anchor': 'middle', class: 'shape' }, g);
      label.textContent = edge.shape;
    }
    for (const node of graph.nodes) {
      const classes = ['node', node.kind, node.severity ?? '', node.uses > 1 ? 'shared' : ''].filter(Boolean).join(' ');
      const g = el('g', { class: classes, tabindex: 0, role: 'button', 'data-id': node.id, transform: `translate(${node.x},${node.y})` }, svg);
      const problem = node.severity ? `, has ${node.severity === 'error' ? 'an error' : `a ${node.severity === 'info' ? 'note' : 'warning'}`}` : '';
      g.setAttribute('aria-label', `${node.title}: ${node.detail}${node.uses > 1 ? `, shared by ${node.uses} uses` : ''}${problem}; Enter selects its source`);
      el('rect', { width: node.width, height: node.height, rx: node.kind === 'layer' ? 4 : 14 }, g);
      const title = el('text', { x: node.width / 2, y: 17, 'text-anchor': 'middle', class: 'title' }, g);
      title.textContent = `${node.severity ? `${ICONS[node.severity]} ` : ''}${node.title}${node.uses > 1 ? ` (shared ×${node.uses})` : ''}`;
      el('text', { x: node.width / 2, y: 33, 'text-anchor': 'middle', class: 'detail' }, g).textContent = node.detail;
      g.addEventListener('click', () => this.select(node.range));
      g.addEventListener('keydown', (event) => this.key(event, node));
      this.nodes.push({ node, element: g });
    }
    return svg;
  }

  private key(event: KeyboardEvent, node: GraphNode): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.select(node.range);
      return;
    }
    const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : event.key === 'ArrowUp' || event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const at = this.nodes.findIndex((n) => n.node === node);
    this.nodes[(at + step + this.nodes.length) % this.nodes.length]!.element.focus();
  }

  /** Marks the node (or nodes: a shared layer) whose source holds the cursor. */
  highlight(cursor: Position): void {
    const holding = this.nodes.filter((n) => contains(n.node.range, cursor));
    const smallest = Math.min(...holding.map((n) => size(n.node.range)));
    for (const n of this.nodes) n.element.classList.toggle('current', holding.includes(n) && size(n.node.range) === smallest);
  }

  /** The graphs as one standalone SVG document, styled inline (for download). */
  svgText(): string | undefined {
    const svg = this.host.querySelector('svg');
    if (!svg) return undefined;
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', SVG);
    const style = document.createElementNS(SVG, 'style');
    style.textContent = GRAPH_STYLE;
    copy.prepend(style);
    return new XMLSerializer().serializeToString(copy);
  }
}

/** The graph's colours, also inlined into an exported SVG so it looks the same outside the page. */
export const GRAPH_STYLE = `
svg { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px; background: #ffffff; }
.group rect { fill: #f0f4fa; stroke: #8da2c0; stroke-dasharray: 4 3; }
.group text { fill: #33475b; font-size: 11px; }
.edge polyline { fill: none; stroke: #57606a; stroke-width: 1.3; }
.arrow { fill: #57606a; }
.edge .shape { fill: #0550ae; font-size: 11px; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; }
.node rect { fill: #ffffff; stroke: #1b1f24; stroke-width: 1.2; }
.node.input rect, .node.output rect { fill: #eaf5ec; stroke: #1a7f37; }
.node.shared rect { stroke-dasharray: 6 2; stroke-width: 2; }
.node.error rect { fill: #fdecea; stroke: #b3261e; stroke-width: 2; }
.node.warning rect { fill: #fff4e0; stroke: #8a5300; stroke-width: 2; }
.node .title { fill: #1b1f24; font-weight: bold; }
.node .detail { fill: #4a5260; }
.node.current rect { stroke: #0550ae; stroke-width: 3; }
`;
