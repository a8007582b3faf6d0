import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

/** A Prisma schema file: where it is (for messages) and what it says. */
export interface PrismaSchemaFile {
  path: string;
  content: string;
}

let loading: Promise<void> | undefined;

// The global exists in Node; its types come with TypeScript's DOM library, which we do not load.
interface WasmGlobal {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;

/**
 * Prisma's schema engine compiled to WebAssembly (the same engine, same version as the CLI's
 * binary, which cannot be downloaded here). Its package ships the module for bundlers; Node
 * gets it instantiated by hand.
 */
function loadEngine(): Promise<void> {
  loading ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm');
    const bytes = await readFile(join(dirname(entry), 'schema_engine_bg.wasm'));
    const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loading;
}

type Engine = bindings.SchemaEngine;

/** Runs `use` with an engine connected through the pg adapter; `schema` sets the search path. */
async function withEngine<R>(url: string, schema: string | undefined, use: (engine: Engine) => Promise<R>): Promise<R> {
  await loadEngine();
  const pool = new pg.Pool({ connectionString: url, max: 2, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool, schema ? { schema } : undefined));
    const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, () => undefined, adapter);
    try {
      return await use(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

const noFilter = { externalTables: [], externalEnums: [] };

/**
 * The SQL `prisma migrate diff --from-… --to-schema … --script` prints to take a database from
 * the `from` schema (null: an empty database) to the `to` schema, byte for byte. Computed from
 * the two schema files alone; the engine still opens one connection to `url` at start.
 */
export async function prismaMigrationSql(options: { from: PrismaSchemaFile | null; to: PrismaSchemaFile; url: string }): Promise<string> {
  return withEngine(options.url, undefined, async (engine) => {
    const result = await engine.diff({
      from: options.from ? { tag: 'schemaDatamodel', files: [options.from] } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [options.to] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return result.stdout ?? '';
  });
}

async function migrationList(migrationsDir: string): Promise<bindings.MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lock = await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lock },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: { path: 'migration.sql', content: { tag: 'ok' as const, value: await readFile(join(migrationsDir, name, 'migration.sql'), 'utf8') } },
      })),
    ),
  };
}

/** What `prisma migrate status` reads: Prisma's own view of a schema's migration history. */
export async function prismaMigrateStatus(options: { url: string; schema: string; migrationsDir: string }): Promise<bindings.DiagnoseMigrationHistoryOutput> {
  const migrationsList = await migrationList(options.migrationsDir);
  return withEngine(options.url, options.schema, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilter }),
  );
}

/** What `prisma migrate deploy` does, by Prisma's own engine: the names of the migrations it applied. */
export async function prismaMigrateDeploy(options: { url: string; schema: string; migrationsDir: string }): Promise<string[]> {
  const migrationsList = await migrationList(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  // The engine names its table unqualified: the schema must exist for the search path to find it.
  await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`).finally(() => client.end());
  return withEngine(options.url, options.schema, async (engine) => (await engine.applyMigrations({ migrationsList, filters: noFilter })).appliedMigrationNames);
}
