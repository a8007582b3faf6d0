import { readFileSync } from 'node:fs';

/** The machine's CPU time so far, all cores together (/proc/stat, clock ticks). */
export interface CpuTimes {
  idle: number;
  total: number;
}

export function cpuTimes(): CpuTimes {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  // cpu  user nice system idle iowait irq softirq steal (guest time is inside user already)
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { idle, total: fields.reduce((s, v) => s + v, 0) };
}

/** Share of the machine's CPU time left idle between two readings, in % (all cores). */
export const idlePercent = (from: CpuTimes, to: CpuTimes): number => (to.total > from.total ? (100 * (to.idle - from.idle)) / (to.total - from.total) : NaN);

/** CPU time one process has used so far (user + system, clock ticks), or NaN once it is gone. */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is the 3rd.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return NaN;
  }
}
