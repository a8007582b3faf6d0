import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
const file = join(repoRoot, 'docs', 'benchmarks.md');

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  let commit = 'uncommitted';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).toString().trim();
  } catch {
    // not a git checkout
  }
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, commit ${commit}`;
}

/** Appends one dated section to docs/benchmarks.md (figures are history, never rewritten). */
export function appendSection(title: string, body: string): void {
  if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nFigures appended by `pnpm bench` (newest last). Not pass/fail: CI machines are noisy.\n');
  const date = new Date().toISOString().replace('T', ' ').slice(0, 16);
  appendFileSync(file, `\n## ${title} — ${date} UTC\n\nMachine: ${machine()}\n\n${body.trim()}\n`);
  console.log(readFileSync(file, 'utf8').split('\n## ').at(-1));
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
