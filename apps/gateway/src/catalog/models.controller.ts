import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { modelAllowed } from '@llmaas/api-keys';
import { type CatalogModel } from '@llmaas/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { callerOf } from '../auth/principal.js';
import { CatalogDirectory } from '@llmaas/service-kit';
import { lifecycleHeaders, unavailableModel, visibleTo } from './lifecycle-headers.js';

/** OpenAI's model object, plus the lifecycle fields callers plan migrations with. */
function toModelObject(m: CatalogModel) {
  return {
    id: m.id,
    object: 'model' as const,
    created: Math.floor(Date.parse(m.productionDate ?? m.updatedAt) / 1000),
    owned_by: m.publisher,
    kind: m.kind,
    phase: m.phase,
    production_date: m.productionDate,
    end_of_support_date: m.endOfSupportDate,
    lts: m.lts,
    stability: m.stability,
    recommended_migration: m.recommendedMigration,
    context_length: m.contextLength,
    reasoning: m.reasoning,
  };
}

@Controller('v1/models')
export class ModelsController {
  constructor(private readonly catalog: CatalogDirectory) {}

  /**
   * The models this key may call today: removed ones are not listed (unless re-enabled for the
   * tenant), evaluation and beta ones only after the tenant's opt-in.
   */
  @Get()
  list(@Req() req: FastifyRequest) {
    const principal = callerOf(req);
    const viewer = { tenantId: principal.tenantId, betaOptIn: req.tenant?.betaOptIn ?? false };
    const tenantModels = req.tenant?.models ?? [];
    const data = this.catalog
      .all()
      .filter((m) => visibleTo(m, viewer))
      .filter((m) => modelAllowed(principal.models, m.id) && modelAllowed(tenantModels, m.id))
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(toModelObject);
    return { object: 'list', data };
  }

  // Model ids contain colons and may contain slashes (nvidia/llama-nemotron-rerank-vl-1b-v2).
  @Get('*')
  retrieve(@Req() req: FastifyRequest, @Param('*') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const model = this.catalog.get(id);
    const unavailable = unavailableModel(id, model, { tenantId: callerOf(req).tenantId, betaOptIn: req.tenant?.betaOptIn ?? false });
    if (unavailable) throw unavailable;
    // unavailableModel answers null only for a model the catalog has.
    const served = model as CatalogModel;
    void reply.headers(lifecycleHeaders(served));
    return toModelObject(served);
  }
}
