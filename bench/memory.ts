/**
 * Memory of this process and all its descendants in MB: the sum of their PSS (proportional set
 * size), so pages shared between processes count once (Chromium's processes in bench/report.ts,
 * the child processes of bench/germany).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { platform } from 'node:os';

export function treeMemoryMb(): number {
  if (platform() !== 'linux') return NaN;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  let kb = 0;
  const todo = [process.pid];
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    try {
      kb += Number(
        /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0,
      );
    } catch {
      // ended, or not ours to read
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return kb / 1024;
}
