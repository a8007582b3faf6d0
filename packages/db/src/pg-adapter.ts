import { PrismaPg } from '@prisma/adapter-pg';

export interface PgAdapterOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  /** Told of errors on idle connections (e.g. the server restarted); the pool replaces them. */
  onError?: (error: Error) => void;
}

/**
 * The Rust-free Prisma 7 driver adapter over a node-postgres pool, bound to one service's schema.
 * Queries of a multi-schema client name their schema anyway; the search path makes raw SQL
 * (`$queryRaw`) find the service's tables unqualified too.
 */
export function createPgAdapter(connectionString: string, schema: string, options: PgAdapterOptions = {}): PrismaPg {
  return new PrismaPg(
    {
      connectionString,
      max: options.max ?? 10,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5000,
      application_name: `llmaas:${schema}`,
      options: `-c search_path=${schema},public`,
    },
    { schema, onPoolError: options.onError, onConnectionError: options.onError },
  );
}
