/**
 * Tensor names of the ONNX graph. The names of the source (inputs, outputs, every IR node and
 * every weight) are reserved first, so that a helper tensor (`hidden/dense_1/MatMul`) never
 * takes a name the source gives to something else; helpers get `_2`, `_3`... on a clash.
 */
export class NameTable {
  private readonly used = new Set<string>();
  private readonly reserved = new Set<string>();

  /** Marks `name` as owned by the source; `take` hands it out once. */
  reserve(name: string): void {
    this.reserved.add(name);
  }

  /** A reserved name for its owner; a second owner is a bug in the exporter. */
  take(name: string): string {
    if (this.used.has(name)) throw new Error(`internal: the ONNX name \`${name}\` is used twice`);
    this.used.add(name);
    return name;
  }

  /** A fresh name derived from `base`. */
  claim(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name) || this.reserved.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
