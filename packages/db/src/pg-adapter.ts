import { PrismaPg } from '@prisma/adapter-pg';

/** The Rust-free Prisma 7 driver adapter over node-postgres, bound to one service's schema. */
export function createPgAdapter(connectionString: string, schema: string): PrismaPg {
  return new PrismaPg({ connectionString, max: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5000 }, { schema });
}
