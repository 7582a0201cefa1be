import type { IRLayer } from '../ir/ir.js';
import type { OnnxAttribute, OnnxDim, OnnxLayout, OnnxValue } from '../registry/onnx.js';
import { graphDims, hasLayouts, permutation } from './layout.js';
import { NameTable } from './names.js';
import type { AttributeProto, NodeProto, TensorProto, ValueInfoProto } from './proto/onnx.js';
import { AttributeProto_AttributeType as AttributeType } from './proto/onnx.js';
import { floatTensor, int64Tensor, valueInfo } from './tensors.js';

/** The batch axis of every tensor: ONNX's symbolic dimension, as runtimes and Netron show it. */
export const BATCH = 'batch';

/** A layer's weight values in float64, in the order of `IRLayer.weights`. */
export type WeightValues = ReadonlyMap<string, ReadonlyArray<{ shape: readonly number[]; data: ArrayLike<number> }>>;

/** A tensor held in one or both orders; `primary` is the order it was computed in. */
interface Held {
  primary: OnnxValue;
  other?: OnnxValue;
}

const utf8 = new TextEncoder();

function attribute(name: string, value: OnnxAttribute): AttributeProto {
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('string' in value) return { name, type: AttributeType.STRING, s: utf8.encode(value.string) };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
}

/**
 * The graph under construction: nodes in topological order, initializers, a value_info for every
 * intermediate tensor, and the tensors computed so far by IR node, each in the orders it has been
 * needed in (a tensor is transposed at most once per order).
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly names = new NameTable();
  private readonly info = new Map<string, ValueInfoProto>();
  /** By IR node id; tensors that alias one another (a dropout's output is its input) share one. */
  private readonly held = new Map<string, Held>();
  private readonly heldByName = new Map<string, Held>();
  private readonly weightNames = new Map<string, string>();
  private readonly producer = new Map<string, number>();

  constructor(
    readonly opset: number,
    private readonly weights: WeightValues,
  ) {}

  /** Adds a node whose name and output are a fresh name from `base`, and records its value_info. */
  addNode(op: string, inputs: readonly string[], attrs: Record<string, OnnxAttribute>, out: Omit<OnnxValue, 'name'>, base: string, doc: string): OnnxValue {
    const name = this.names.claim(base);
    const node: NodeProto = {
      input: [...inputs],
      output: [name],
      name,
      op_type: op,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
      doc_string: doc,
    };
    this.producer.set(name, this.nodes.length);
    this.nodes.push(node);
    const value: OnnxValue = { name, layout: out.layout, dtype: out.dtype, dims: out.dims };
    this.info.set(name, valueInfo(name, value.dtype, graphDims(value.dims, value.layout, BATCH)));
    return value;
  }

  /**
   * Gives a tensor computed by a node its final name (the IR node's, reserved for it): the node's
   * output and value_info follow. Nothing may have read the tensor under its first name yet.
   */
  rename(value: OnnxValue, name: string): OnnxValue {
    const index = this.producer.get(value.name);
    if (index === undefined) throw new Error(`internal: \`${value.name}\` is not computed by a node`);
    const node = this.nodes[index]!;
    node.output = [this.names.take(name)];
    this.producer.delete(value.name);
    this.producer.set(name, index);
    this.info.delete(value.name);
    const renamed = { ...value, name };
    const held = this.heldByName.get(value.name);
    if (held) {
      if (held.primary.name === value.name) held.primary = renamed;
      else held.other = renamed;
      this.heldByName.delete(value.name);
      this.heldByName.set(name, held);
    }
    this.info.set(name, valueInfo(name, renamed.dtype, graphDims(renamed.dims, renamed.layout, BATCH)));
    return renamed;
  }

  /** Whether a node added since `start` (an index into `nodes`) computes `name`. */
  computedSince(name: string, start: number): boolean {
    return (this.producer.get(name) ?? -1) >= start;
  }

  /** Records `value` as the IR node's tensor; a tensor already held (an alias) keeps its transposes. */
  hold(id: string, value: OnnxValue): void {
    const held = this.heldByName.get(value.name) ?? { primary: value };
    this.held.set(id, held);
    this.heldByName.set(value.name, held);
  }

  /** The IR node's tensor in `layout` (`any`: as computed), transposing it once if needed. */
  value(id: string, layout: OnnxLayout | 'any', doc: string): OnnxValue {
    const held = this.held.get(id);
    if (!held) throw new Error(`internal: no ONNX tensor for IR node \`${id}\``);
    const { primary } = held;
    if (layout === 'any' || primary.layout === layout || !hasLayouts(primary.dims.length)) return primary;
    if (held.other) return held.other;
    // Named after what it holds (`image/channels_first`), not after the operator.
    const base = `${primary.name}/${layout === 'first' ? 'channels_first' : 'channels_last'}`;
    const perm = permutation(primary.dims.length, layout);
    held.other = this.addNode('Transpose', [primary.name], { perm: { ints: perm } }, { layout, dtype: primary.dtype, dims: primary.dims }, base, doc);
    this.heldByName.set(held.other.name, held);
    return held.other;
  }

  /** The layouts an IR node's tensor is held in, without converting it. */
  layouts(id: string): OnnxLayout[] {
    const held = this.held.get(id);
    if (!held) return [];
    return held.other ? [held.primary.layout, held.other.layout] : [held.primary.layout];
  }

  /** The initializer of a layer's weight, created on first use; shared applications share it. */
  weight(layer: IRLayer, index: number, order: 'conv' | undefined): string {
    const key = `${layer.id}\u0000${index}\u0000${order ?? ''}`;
    const known = this.weightNames.get(key);
    if (known) return known;
    const spec = layer.weights[index];
    const values = this.weights.get(layer.id)?.[index];
    if (!spec || !values) throw new Error(`internal: no values for weight ${index} of \`${layer.id}\``);
    const name = this.names.take(`${layer.id}/${spec.name}`);
    const tensor =
      order === 'conv'
        ? floatTensor(name, convOrder(spec.shape), convData(values.data, spec.shape), `${spec.name} [out, in, kh, kw]: nnc's [kh, kw, in, out] transposed`)
        : floatTensor(name, spec.shape, values.data);
    this.initializers.push(tensor);
    this.weightNames.set(key, name);
    return name;
  }

  int64s(values: readonly number[], base: string): string {
    const name = this.names.claim(base);
    this.initializers.push(int64Tensor(name, values));
    return name;
  }

  float(value: number, base: string): string {
    const name = this.names.claim(base);
    this.initializers.push(floatTensor(name, [], [value]));
    return name;
  }

  /** value_info of every tensor computed by a node, except those listed (the graph's outputs). */
  valueInfo(except: ReadonlySet<string>): ValueInfoProto[] {
    return [...this.info.values()].filter((v) => !except.has(v.name!));
  }

  infoOf(name: string): ValueInfoProto | undefined {
    return this.info.get(name);
  }
}

/** [kh, kw, in, out] to [out, in, kh, kw]. */
function convOrder(shape: readonly number[]): number[] {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  return [cout, cin, kh, kw];
}

function convData(data: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const out = new Float64Array(data.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) out[((o * cin + i) * kh + y) * kw + x] = data[((y * kw + x) * cin + i) * cout + o]!;
      }
    }
  }
  return out;
}

export type { OnnxDim };
