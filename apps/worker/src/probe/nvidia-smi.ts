import { execFile } from 'node:child_process';

export interface GpuMemory {
  readonly index: number;
  readonly name: string;
  readonly memoryTotalMiB: number;
  readonly memoryUsedMiB: number;
}

/** The query a real-GPU worker runs; the parser also takes other column sets, in any order. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,memory.total,memory.used', '--format=csv,noheader,nounits'];
const DEFAULT_COLUMNS = ['index', 'name', 'memory.total', 'memory.used'];

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]`. With a header, columns are
 * found by name (`memory.total [MiB]`); without one, `columns` says what was queried. Values with
 * units ("143771 MiB") are read as their number. A GPU without a name column is named "GPU <n>".
 */
export function parseNvidiaSmi(output: string, columns: readonly string[] = DEFAULT_COLUMNS): GpuMemory[] {
  const lines = output.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  let names = [...columns];
  if (lines[0]?.startsWith('index')) {
    names = lines.shift()!.split(',').map((h) => h.trim().replace(/\s*\[.*\]$/, ''));
  }
  const at = (name: string) => names.indexOf(name);
  const iIndex = at('index');
  const iName = at('name');
  const iTotal = at('memory.total');
  const iUsed = at('memory.used');
  if (iTotal < 0 || iUsed < 0) throw new Error('nvidia-smi output lacks memory.total or memory.used');
  return lines.map((line, row) => {
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < names.length) throw new Error(`nvidia-smi line ${row + 1} has ${cells.length} fields, expected ${names.length}`);
    const number = (i: number, what: string) => {
      const value = Number.parseFloat(cells[i] ?? '');
      if (!Number.isFinite(value)) throw new Error(`nvidia-smi line ${row + 1}: ${what} "${cells[i] ?? ''}" is not a number`);
      return value;
    };
    const index = iIndex >= 0 ? number(iIndex, 'index') : row;
    return {
      index,
      name: iName >= 0 ? (cells[iName] ?? '') : `GPU ${index}`,
      memoryTotalMiB: number(iTotal, 'memory.total'),
      memoryUsedMiB: number(iUsed, 'memory.used'),
    };
  });
}

/** Runs nvidia-smi when the machine has it; undefined where it does not (the sim engine never calls this). */
export function probeNvidiaSmi(timeoutMs = 5000): Promise<GpuMemory[] | undefined> {
  return new Promise((resolve, reject) => {
    execFile('nvidia-smi', NVIDIA_SMI_ARGS, { timeout: timeoutMs }, (error, stdout) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') resolve(undefined);
        else reject(new Error(`nvidia-smi failed: ${error.message}`));
        return;
      }
      try {
        resolve(parseNvidiaSmi(stdout));
      } catch (parseError) {
        reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
      }
    });
  });
}
