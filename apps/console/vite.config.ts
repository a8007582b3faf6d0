import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const outDir = 'dist';

/**
 * Writes `.gz` and `.br` next to every text asset, so the gateway sends compressed bytes
 * without compressing on each request (it picks what the browser accepts).
 */
function precompress(): Plugin {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) =>
      statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)],
    );
  return {
    name: 'llmaas-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json|txt)$/.test(file)) continue;
        const body = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

// Served by the gateway under /console (apps/gateway/src/console/console-static.ts).
export default defineConfig({
  base: '/console/',
  plugins: [react(), precompress()],
  // `pnpm --filter @llmaas/console dev`: the page on Vite's server, the API from the running gateway.
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/admin', '/status'].map((path) => [path, 'http://127.0.0.1:8080']),
    ),
  },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
  },
});
