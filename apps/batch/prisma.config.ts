// Prisma 7 reads the schema location and migrations from here. The URL is only needed by the
// CLI's migrate commands (where the schema engine exists); `prisma generate` works without it.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
