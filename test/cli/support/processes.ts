import { readdirSync, readFileSync } from 'node:fs';

/** The process ids of this process's descendants, from /proc. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (p: number) => {
    for (const [child, parent] of parents) if (parent === p) (found.push(child), visit(child));
  };
  visit(pid);
  return found;
}

/**
 * The train.py process this test started: under torchrun the worker of rank `rank` (RANK=rank in
 * its environment), alone the one train.py process.
 */
export function worker(rank?: number): number | undefined {
  return descendants(process.pid).find((pid) => {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      return cmdline.includes('train.py') && !cmdline.includes('torch.distributed') && (rank === undefined || environ.includes(`RANK=${rank}`));
    } catch {
      return false;
    }
  });
}
