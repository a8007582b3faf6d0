import { Controller, Get, Header, Headers, Query, Res } from '@nestjs/common';
import { type FastifyReply } from 'fastify';

import { CatalogDirectory } from '@llmaas/service-kit';
import { STATUS_PAGE_PATH } from './lifecycle-headers.js';
import { renderStatusHtml, statusRows, wantsJson } from './status-page.js';

/** The public "LLMaaS Status — Lifecycle" page (no key needed), from the gateway's catalog copy. */
@Controller(STATUS_PAGE_PATH.slice(1))
export class StatusPageController {
  constructor(private readonly catalog: CatalogDirectory) {}

  @Get()
  @Header('cache-control', 'public, max-age=60')
  @Header('vary', 'accept')
  page(@Headers('accept') accept: string | undefined, @Query('format') format: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    const rows = statusRows(this.catalog.all());
    const generatedAt = new Date().toISOString();
    if (wantsJson(accept, format)) return { object: 'lifecycle.status', generated_at: generatedAt, notice_months: 3, data: rows };
    void reply.type('text/html; charset=utf-8');
    return renderStatusHtml(rows, generatedAt);
  }
}
