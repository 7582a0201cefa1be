import type { ActivationSpec, IRApplyNode, IRLayer } from '../ir/ir.js';
import type { OnnxAttribute, OnnxContext, OnnxDim, OnnxLayout, OnnxNodeOutput, OnnxValue } from '../registry/onnx.js';
import { registry } from '../registry/registry.js';
import type { GraphBuilder } from './graph-builder.js';

/** The OnnxContext of one application of a layer: everything it adds is named and documented after it. */
export class LoweringContext implements OnnxContext {
  readonly arity: number;

  constructor(
    private readonly graph: GraphBuilder,
    private readonly application: IRApplyNode,
    readonly layer: IRLayer,
    readonly outputDims: readonly OnnxDim[],
    /** `model.nn:6:8 conv2d(16, 3, ...)`: the doc_string of every node this application adds. */
    private readonly doc: string,
    /** The name of the application's output tensor, which its helpers' names start with. */
    private readonly base: string,
  ) {
    this.arity = application.inputs.length;
  }

  get opset(): number {
    return this.graph.opset;
  }

  input(i: number, layout: OnnxLayout | 'any' = 'last'): OnnxValue {
    const id = this.application.inputs[i];
    if (id === undefined) throw new Error(`internal: \`${this.application.id}\` has no input ${i}`);
    return this.graph.value(id, layout, this.doc);
  }

  commonLayout(): OnnxLayout {
    let first = 0;
    for (const id of this.application.inputs) if (this.graph.layouts(id).includes('first')) first++;
    return first * 2 > this.application.inputs.length ? 'first' : 'last';
  }

  weight(i: number, order?: 'conv'): string {
    return this.graph.weight(this.layer, i, order);
  }

  int64s(values: readonly number[], what: string): string {
    return this.graph.int64s(values, `${this.base}/${what}`);
  }

  float(value: number, what: string): string {
    return this.graph.float(value, `${this.base}/${what}`);
  }

  node(op: string, inputs: readonly string[], attrs: Record<string, OnnxAttribute> = {}, output: OnnxNodeOutput = {}): OnnxValue {
    const out = { layout: output.layout ?? 'last', dtype: output.dtype ?? 'float32', dims: output.dims ?? this.outputDims };
    return this.graph.addNode(op, inputs, attrs, out, `${this.base}/${op}`, this.doc);
  }

  activation(spec: ActivationSpec, x: OnnxValue): OnnxValue {
    if (spec.name === 'linear') return x;
    const def = registry.activation(spec.name);
    if (!def) throw new Error(`internal: unknown activation \`${spec.name}\``);
    return def.onnx.lower(spec, x, this);
  }
}
