import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

/**
 * src/onnx/proto/onnx.ts: static TypeScript encoders and decoders for ONNX's schema, compiled
 * from src/onnx/proto/onnx.proto with protobufjs's parser and written against protobufjs's
 * minimal runtime (its Writer and Reader). Static code rather than protobufjs's reflection:
 * reflection builds its codecs with `new Function`, which a browser's content security policy
 * may forbid, and static code is typed. Field names stay as the schema spells them
 * (`ir_version`, `opset_import`), as in ONNX's documentation and its Python API.
 */

export const ONNX_PROTO = 'src/onnx/proto/onnx.proto';

const WIRE: Record<string, number> = {
  int32: 0, uint32: 0, sint32: 0, int64: 0, uint64: 0, sint64: 0, bool: 0,
  fixed64: 1, sfixed64: 1, double: 1,
  string: 2, bytes: 2,
  fixed32: 5, sfixed32: 5, float: 5,
};

const LONG = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** `TensorProto_DataType` for the nested `onnx.TensorProto.DataType`, as ONNX's C++ API names it. */
function typeName(object: protobuf.ReflectionObject): string {
  const parts: string[] = [];
  for (let o: protobuf.ReflectionObject | null = object; o && !(o.parent === null || o.name === 'onnx'); o = o.parent) parts.unshift(o.name);
  return parts.join('_');
}

function jsdoc(comment: string | null | undefined, indent = ''): string {
  if (!comment) return '';
  const lines = comment.replaceAll('*/', '*\\/').split('\n');
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

function tsType(field: protobuf.Field): string {
  const resolved = field.resolvedType;
  let base: string;
  if (resolved instanceof protobuf.Type) base = typeName(resolved);
  else if (resolved instanceof protobuf.Enum) base = 'number';
  else if (field.type === 'string') base = 'string';
  else if (field.type === 'bytes') base = 'Uint8Array';
  else if (field.type === 'bool') base = 'boolean';
  else base = 'number';
  return field.repeated ? `${base}[]` : base;
}

/** The Writer/Reader method of a scalar field (enums are int32 on the wire). */
function scalarMethod(field: protobuf.Field): string {
  return field.resolvedType instanceof protobuf.Enum ? 'int32' : field.type;
}

function wireType(field: protobuf.Field): number {
  if (field.resolvedType instanceof protobuf.Type) return 2;
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  const wire = WIRE[field.type];
  if (wire === undefined) throw new Error(`unsupported field type ${field.type} of ${field.fullName}`);
  return wire;
}

const tag = (id: number, wire: number): number => ((id << 3) | wire) >>> 0;

function encodeField(field: protobuf.Field): string {
  const value = `message.${field.name}`;
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) {
    const encode = `encode${typeName(resolved)}`;
    if (field.repeated) return `  if (${value}) for (const v of ${value}) ${encode}(v, writer.uint32(${tag(field.id, 2)}).fork()).ldelim();`;
    return `  if (${value} !== undefined) ${encode}(${value}, writer.uint32(${tag(field.id, 2)}).fork()).ldelim();`;
  }
  const method = scalarMethod(field);
  if (field.repeated && field.getOption('packed') === true) {
    return `  if (${value} && ${value}.length > 0) {\n    writer.uint32(${tag(field.id, 2)}).fork();\n    for (const v of ${value}) writer.${method}(v);\n    writer.ldelim();\n  }`;
  }
  if (field.repeated) return `  if (${value}) for (const v of ${value}) writer.uint32(${tag(field.id, wireType(field))}).${method}(v);`;
  return `  if (${value} !== undefined) writer.uint32(${tag(field.id, wireType(field))}).${method}(${value});`;
}

function readExpression(field: protobuf.Field): string {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return `decode${typeName(resolved)}(reader, reader.uint32())`;
  const method = scalarMethod(field);
  return LONG.has(method) ? `toNumber(reader.${method}())` : `reader.${method}()`;
}

function decodeField(field: protobuf.Field): string {
  const value = `message.${field.name}`;
  const read = readExpression(field);
  const packable = field.repeated && wireType(field) !== 2;
  if (packable) {
    // Parsers accept repeated scalars both packed and unpacked, whatever the schema declares.
    return [
      `      case ${field.id}: {`,
      `        const list = (${value} ??= []);`,
      `        if ((tag & 7) === 2) {`,
      `          const end = reader.uint32() + reader.pos;`,
      `          while (reader.pos < end) list.push(${read});`,
      `        } else list.push(${read});`,
      `        break;`,
      `      }`,
    ].join('\n');
  }
  if (field.repeated) return `      case ${field.id}:\n        (${value} ??= []).push(${read});\n        break;`;
  return `      case ${field.id}:\n        ${value} = ${read};\n        break;`;
}

function messageCode(type: protobuf.Type): string {
  const name = typeName(type);
  const fields = [...type.fieldsArray].sort((a, b) => a.id - b.id);
  const members = type.fieldsArray.map((f) => `${jsdoc(f.comment, '  ')}  ${f.name}?: ${tsType(f)};`);
  return [
    `${jsdoc(type.comment)}export interface ${name} {`,
    ...members,
    '}',
    '',
    `/** Appends \`message\` to \`writer\` in field-number order, as protobuf's own serializers do. */`,
    `export function encode${name}(message: ${name}, writer: Writer = Writer.create()): Writer {`,
    ...fields.map(encodeField),
    '  return writer;',
    '}',
    '',
    `export function decode${name}(input: Reader | Uint8Array, length?: number): ${name} {`,
    '  const reader = input instanceof Reader ? input : Reader.create(input);',
    '  const end = length === undefined ? reader.len : reader.pos + length;',
    `  const message: ${name} = {};`,
    '  while (reader.pos < end) {',
    '    const tag = reader.uint32();',
    '    switch (tag >>> 3) {',
    ...fields.map(decodeField),
    '      default:',
    '        reader.skipType(tag & 7);',
    '    }',
    '  }',
    '  return message;',
    '}',
    '',
  ].join('\n');
}

function enumCode(e: protobuf.Enum): string {
  const entries = Object.entries(e.values).map(([k, v]) => `${jsdoc(e.comments[k], '  ')}  ${k}: ${v},`);
  return `${jsdoc(e.comment)}export const ${typeName(e)} = {\n${entries.join('\n')}\n} as const;\n`;
}

function collect(ns: protobuf.NamespaceBase, out: string[]): void {
  for (const child of ns.nestedArray) {
    if (child instanceof protobuf.Enum) out.push(enumCode(child));
    if (child instanceof protobuf.Type) out.push(messageCode(child));
    if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) collect(child, out);
  }
}

/** The generated module's text, from the schema under `root`. */
export function onnxProtoModule(root: string): string {
  const file = join(root, ONNX_PROTO);
  const text = readFileSync(file, 'utf8');
  if (!/^syntax = "proto2";$/m.test(text)) throw new Error(`${ONNX_PROTO}: expected a proto2 schema (packed fields are read as proto2 declares them)`);
  const schema = new protobuf.Root();
  schema.loadSync(file, { alternateCommentMode: true, keepCase: true });
  schema.resolveAll();
  const out: string[] = [];
  collect(schema.lookup('onnx') as protobuf.Namespace, out);
  return [
    `// Generated by scripts/generate.ts from ${ONNX_PROTO}. Do not edit; run \`npm run gen\`.`,
    '// The schema is ONNX\'s (SPDX-License-Identifier: Apache-2.0); see src/onnx/proto/NOTICE.md.',
    '/* eslint-disable */',
    "import protobuf from 'protobufjs/minimal.js';",
    '',
    'type Writer = protobuf.Writer;',
    'type Reader = protobuf.Reader;',
    'const { Reader, Writer } = protobuf;',
    '',
    '/** 64-bit varints decode to a Long when the `long` package is present; ONNX\'s sizes and ints fit in a double. */',
    'function toNumber(value: number | protobuf.Long): number {',
    "  return typeof value === 'number' ? value : protobuf.util.LongBits.from(value).toNumber(value.unsigned);",
    '}',
    '',
    ...out,
  ].join('\n');
}
