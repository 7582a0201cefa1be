import type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, TypeProto, ValueInfoProto } from './proto/onnx.js';
import { AttributeProto_AttributeType as AttributeType, TensorProto_DataType as DataType } from './proto/onnx.js';
import { float32Values } from './tensors.js';

/**
 * A model in ONNX's textual syntax (onnx/docs/Syntax.md), as `onnx.printer.to_text` writes it,
 * laid out for reading: one initializer or value_info per line, and before each layer's nodes a
 * `#` comment with its doc_string (the .nn line:col and the layer's text). Every value is
 * written out; floats in the shortest form that reads back as the same float32.
 */

const TYPE_NAMES: Record<number, string> = {
  [DataType.FLOAT]: 'float',
  [DataType.INT32]: 'int32',
  [DataType.INT64]: 'int64',
  [DataType.DOUBLE]: 'double',
  [DataType.BOOL]: 'bool',
};

const ATTRIBUTE_NAMES: Record<number, string> = {
  [AttributeType.FLOAT]: 'float',
  [AttributeType.INT]: 'int',
  [AttributeType.STRING]: 'string',
  [AttributeType.FLOATS]: 'floats',
  [AttributeType.INTS]: 'ints',
  [AttributeType.STRINGS]: 'strings',
};

const utf8 = new TextDecoder();

function quoted(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** An identifier as is, anything else quoted (the printer's IsValidIdentifier). */
function id(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : quoted(name);
}

/** The shortest decimal that reads back as the same float32 (what std::to_chars gives for a float). */
export function float32Text(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const target = Math.fround(value);
  const short = String(target);
  if (short.length <= 8) return short;
  // More digits never read back further away, so the shortest count is found by bisection.
  let [low, high] = [1, 9];
  while (low < high) {
    const digits = (low + high) >> 1;
    if (Math.fround(Number(target.toPrecision(digits))) === target) high = digits;
    else low = digits + 1;
  }
  return String(Number(target.toPrecision(low)));
}

function typeText(type: TypeProto | undefined): string {
  const tensor = type?.tensor_type;
  if (!tensor) return '?';
  const name = TYPE_NAMES[tensor.elem_type ?? 0] ?? `type${tensor.elem_type}`;
  if (!tensor.shape) return `${name}[]`;
  const dims = tensor.shape.dim ?? [];
  if (dims.length === 0) return name;
  return `${name}[${dims.map((d) => (d.dim_value !== undefined ? String(d.dim_value) : d.dim_param !== undefined ? id(d.dim_param) : '?')).join(',')}]`;
}

function valueInfoText(info: ValueInfoProto): string {
  return `${typeText(info.type)} ${id(info.name ?? '')}`;
}

function tensorValues(tensor: TensorProto): string[] {
  if (tensor.raw_data && tensor.data_type === DataType.FLOAT) return Array.from(float32Values(tensor.raw_data), float32Text);
  if (tensor.float_data) return tensor.float_data.map(float32Text);
  if (tensor.int64_data) return tensor.int64_data.map(String);
  if (tensor.int32_data) return tensor.int32_data.map(String);
  return [];
}

function initializerText(tensor: TensorProto): string {
  const name = TYPE_NAMES[tensor.data_type ?? 0] ?? `type${tensor.data_type}`;
  const dims = tensor.dims && tensor.dims.length > 0 ? `[${tensor.dims.join(',')}]` : '';
  return `${name}${dims} ${id(tensor.name ?? '')} = {${tensorValues(tensor).join(',')}}`;
}

function attributeText(attr: AttributeProto): string {
  const kind = ATTRIBUTE_NAMES[attr.type ?? 0] ?? 'unknown';
  let value: string;
  switch (attr.type) {
    case AttributeType.FLOAT:
      value = float32Text(attr.f ?? 0);
      break;
    case AttributeType.INT:
      value = String(attr.i ?? 0);
      break;
    case AttributeType.STRING:
      value = quoted(utf8.decode(attr.s ?? new Uint8Array()));
      break;
    case AttributeType.FLOATS:
      value = `[${(attr.floats ?? []).map(float32Text).join(', ')}]`;
      break;
    case AttributeType.INTS:
      value = `[${(attr.ints ?? []).join(', ')}]`;
      break;
    default:
      value = `[${(attr.strings ?? []).map((s) => quoted(utf8.decode(s))).join(', ')}]`;
  }
  return `${attr.name}: ${kind} = ${value}`;
}

function nodeText(node: NodeProto): string {
  const label = node.name ? `[${id(node.name)}] ` : '';
  const op = `${node.domain ? `${node.domain}.` : ''}${node.op_type}`;
  const attrs = node.attribute && node.attribute.length > 0 ? ` <${node.attribute.map(attributeText).join(', ')}>` : '';
  return `${label}${(node.output ?? []).map(id).join(', ')} = ${op}${attrs} (${(node.input ?? []).map(id).join(', ')})`;
}

function graphText(graph: GraphProto): string[] {
  const lines = [`${id(graph.name ?? '')} (${(graph.input ?? []).map(valueInfoText).join(', ')}) => (${(graph.output ?? []).map(valueInfoText).join(', ')})`];
  const declarations = [...(graph.initializer ?? []).map(initializerText), ...(graph.value_info ?? []).map(valueInfoText)];
  if (declarations.length > 0) lines.push('   <', ...declarations.map((d, i) => `      ${d}${i < declarations.length - 1 ? ',' : ''}`), '   >');
  lines.push('{');
  let doc: string | undefined;
  for (const node of graph.node ?? []) {
    if (node.doc_string && node.doc_string !== doc) lines.push(`   # ${node.doc_string.replace(/[\r\n]+/g, ' ')}`);
    doc = node.doc_string;
    lines.push(`   ${nodeText(node)}`);
  }
  lines.push('}');
  return lines;
}

export function modelText(model: ModelProto): string {
  const header = [
    `ir_version: ${model.ir_version ?? 0}`,
    `opset_import: [${(model.opset_import ?? []).map((o) => `${quoted(o.domain ?? '')} : ${o.version}`).join(', ')}]`,
    ...(model.producer_name !== undefined ? [`producer_name: ${quoted(model.producer_name)}`] : []),
    ...(model.producer_version !== undefined ? [`producer_version: ${quoted(model.producer_version)}`] : []),
    ...(model.doc_string !== undefined ? [`doc_string: ${quoted(model.doc_string)}`] : []),
    ...(model.metadata_props && model.metadata_props.length > 0
      ? [`metadata_props: [${model.metadata_props.map((p) => `${quoted(p.key ?? '')}: ${quoted(p.value ?? '')}`).join(', ')}]`]
      : []),
  ];
  return ['<', header.map((h) => `   ${h}`).join(',\n'), '>', ...graphText(model.graph ?? {}), ''].join('\n');
}
