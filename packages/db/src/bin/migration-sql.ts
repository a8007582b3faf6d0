#!/usr/bin/env node
// Writes the SQL of a new migration the way `prisma migrate dev` would, with Prisma's own schema
// engine (WebAssembly): the difference between schema.prisma as committed and as it is now.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { prismaMigrationSql, type PrismaSchemaFile } from '../schema-engine.js';

const usage = `usage: llmaas-migration-sql [--schema prisma/schema.prisma] [--from FILE | --from-git REV | --from-empty] [--name NAME]

Prints the SQL that takes the database from the old schema (default: the schema file at git HEAD,
or an empty database where git has none) to the schema file as it is now. With --name, writes it
to <migrations>/<UTC timestamp>_<NAME>/migration.sql beside the schema instead.
Connects once to DATABASE_URL (default: the local platform PostgreSQL).`;

const { values } = parseArgs({
  options: {
    schema: { type: 'string', default: 'prisma/schema.prisma' },
    from: { type: 'string' },
    'from-git': { type: 'string' },
    'from-empty': { type: 'boolean', default: false },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const schemaPath = resolve(values.schema);
const to: PrismaSchemaFile = { path: schemaPath, content: await readFile(schemaPath, 'utf8') };

function fromGit(rev: string): PrismaSchemaFile | null {
  try {
    const content = execFileSync('git', ['-C', dirname(schemaPath), 'show', `${rev}:./${basename(schemaPath)}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { path: `${rev}:${schemaPath}`, content };
  } catch {
    if (values['from-git']) throw new Error(`${schemaPath} is not in git at ${rev}`);
    return null;
  }
}

const from = values['from-empty']
  ? null
  : values.from
    ? { path: resolve(values.from), content: await readFile(resolve(values.from), 'utf8') }
    : fromGit(values['from-git'] ?? 'HEAD');

const url = process.env.DATABASE_URL || 'postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas';
const sql = await prismaMigrationSql({ from, to, url });

if (!values.name) {
  process.stdout.write(sql);
} else if (sql.trim() === '' || sql.includes('This is an empty migration')) {
  console.error('no change between the two schemas: no migration written');
  process.exit(1);
} else {
  if (!/^[a-z0-9_]+$/.test(values.name)) throw new Error('--name: lower-case letters, digits and _ only');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const file = join(dirname(schemaPath), 'migrations', `${stamp}_${values.name}`, 'migration.sql');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, sql);
  console.log(`wrote ${file}`);
}
