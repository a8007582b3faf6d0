import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { ApiError } from '../http/api-error.js';

/** apps/console/dist, from apps/gateway/{dist,src}/console/. */
const DEFAULT_ROOT = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// The page holds the caller's API key in session storage: nothing but our own files may run or
// be fetched, and no other site may frame it. React and the SVG charts need no inline code or style.
const HTML_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};
// Vite names built assets by their content hash: a changed file is a new name.
const ASSET_CACHE = 'public, max-age=31536000, immutable';

interface Found {
  path: string;
  size: number;
  etag: string;
  encoding: 'br' | 'gzip' | null;
}

async function fileAt(path: string): Promise<{ size: number; etag: string } | null> {
  try {
    const s = await stat(path);
    return s.isFile()
      ? { size: s.size, etag: `"${s.size.toString(16)}-${Math.floor(s.mtimeMs).toString(16)}"` }
      : null;
  } catch {
    return null;
  }
}

/** The file, or its precompressed sibling (written by the console's build) if the browser takes it. */
async function negotiate(path: string, acceptEncoding: string): Promise<Found | null> {
  for (const [encoding, suffix] of [
    ['br', '.br'],
    ['gzip', '.gz'],
  ] as const) {
    if (!new RegExp(`\\b${encoding}\\b`).test(acceptEncoding)) continue;
    const compressed = await fileAt(path + suffix);
    if (compressed) return { path: path + suffix, ...compressed, encoding };
  }
  const plain = await fileAt(path);
  return plain ? { path, ...plain, encoding: null } : null;
}

function notFound(reply: FastifyReply, path: string): FastifyReply {
  const error = new ApiError(404, 'not_found_error', `No console file at ${path}.`, 'not_found');
  return reply.code(404).send(error.toBody());
}

/**
 * The web console (apps/console, a static single-page app) at /console: its built files, and
 * index.html for every client route. No key is needed for these files — they hold no data; the
 * console calls /v1 and /admin/v1 with the user's key like any client (the auth hooks cover only
 * those paths). The build is looked up on each request, so building the console needs no restart.
 */
export function installConsole(app: NestFastifyApplication, root = DEFAULT_ROOT): void {
  const fastify = app.getHttpAdapter().getInstance();
  const base = resolve(root);
  const index = join(base, 'index.html');

  const serve = async (request: FastifyRequest, reply: FastifyReply, relative: string) => {
    if (!(await fileAt(index))) {
      const error = new ApiError(
        503,
        'service_unavailable',
        'The web console is not built on this gateway: run `pnpm --filter @llmaas/console build` (or `pnpm build`), then reload.',
        'console_not_built',
      );
      return reply.code(503).send(error.toBody());
    }
    // A path with an extension is a file (404 if absent); anything else is a client route.
    const isFile = extname(relative) !== '';
    const target = isFile ? resolve(base, relative) : index;
    if (relative.includes('\0') || (target !== base && !target.startsWith(base + sep)))
      return notFound(reply, request.url);
    const found = await negotiate(target, String(request.headers['accept-encoding'] ?? ''));
    if (!found) return notFound(reply, request.url);

    const type = CONTENT_TYPES[extname(target)] ?? 'application/octet-stream';
    const immutable = isFile && relative.startsWith('assets/');
    void reply
      .header('content-type', type)
      .header('etag', found.etag)
      .header('vary', 'accept-encoding');
    void reply.header('cache-control', immutable ? ASSET_CACHE : 'no-cache');
    if (type.startsWith('text/html')) void reply.headers(HTML_HEADERS);
    if (request.headers['if-none-match'] === found.etag) return reply.code(304).send();
    if (found.encoding) void reply.header('content-encoding', found.encoding);
    void reply.header('content-length', found.size);
    return reply.code(200).send(createReadStream(found.path));
  };

  fastify.get('/console', (request, reply) => serve(request, reply, ''));
  fastify.get<{ Params: { '*': string } }>('/console/*', (request, reply) =>
    serve(request, reply, request.params['*'] ?? ''),
  );
}
