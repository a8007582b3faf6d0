// Prisma 7 reads the schema and migrations locations from here; `prisma generate` needs no URL.
// Where the schema engine exists, `prisma migrate status|deploy` use DATABASE_URL with
// `?schema=auth` added, so they find the `_prisma_migrations` table our runner keeps in that schema.
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
if (url && !url.searchParams.has('schema')) url.searchParams.set('schema', 'auth');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url: url.toString() } } : {}),
});
