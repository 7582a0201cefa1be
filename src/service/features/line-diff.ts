/**
 * The changed line ranges between two texts (Myers' O(ND) diff over lines), so that
 * formatting sends the edits an editor can apply without moving the unchanged lines, and range
 * formatting can keep the ones in the range. Past `limit` differences it gives up and returns
 * one hunk between the common prefix and suffix.
 */
export interface Hunk {
  /** Lines [oldStart, oldEnd) of the old text become lines [newStart, newEnd) of the new one. */
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

export function diffLines(a: readonly string[], b: readonly string[], limit = 2000): Hunk[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const x = a.slice(prefix, a.length - suffix);
  const y = b.slice(prefix, b.length - suffix);
  if (x.length === 0 && y.length === 0) return [];
  const script = myers(x, y, limit);
  if (!script) return [{ oldStart: prefix, oldEnd: a.length - suffix, newStart: prefix, newEnd: b.length - suffix }];
  return script.map((h) => ({ oldStart: h.oldStart + prefix, oldEnd: h.oldEnd + prefix, newStart: h.newStart + prefix, newEnd: h.newEnd + prefix }));
}

/** Hunks turning x into y, or undefined past `limit` edits. */
function myers(x: readonly string[], y: readonly string[], limit: number): Hunk[] | undefined {
  const n = x.length;
  const m = y.length;
  const max = Math.min(n + m, limit);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) return backtrack(trace, offset, n, m);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], offset: number, n: number, m: number): Hunk[] {
  const hunks: Hunk[] = [];
  let i = n;
  let j = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d]!;
    const k = i - j;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevI = v[offset + prevK]!;
    const prevJ = prevI - prevK;
    while (i > prevI && j > prevJ) {
      i--;
      j--;
    }
    // One line deleted (i) or inserted (j), merged into the hunk that follows when adjacent.
    const hunk = down ? { oldStart: i, oldEnd: i, newStart: j - 1, newEnd: j } : { oldStart: i - 1, oldEnd: i, newStart: j, newEnd: j };
    const next = hunks[0];
    if (next && next.oldStart === hunk.oldEnd && next.newStart === hunk.newEnd) {
      next.oldStart = hunk.oldStart;
      next.newStart = hunk.newStart;
    } else hunks.unshift(hunk);
    i = prevI;
    j = prevJ;
  }
  return hunks;
}
