import { Controller, Get, Param, Req } from '@nestjs/common';
import { modelAllowed } from '@llmaas/api-keys';
import { type CatalogModel } from '@llmaas/contracts';
import { type FastifyRequest } from 'fastify';

import { callerOf } from '../auth/principal.js';
import { ApiError } from '../http/api-error.js';
import { CatalogDirectory } from './catalog-directory.service.js';

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

  /** The models this key may call today: removed ones are not listed, beta ones only after opt-in. */
  @Get()
  list(@Req() req: FastifyRequest) {
    const principal = callerOf(req);
    const betaOptIn = req.tenant?.betaOptIn ?? false;
    const tenantModels = req.tenant?.models ?? [];
    const data = this.catalog
      .all()
      .filter((m) => m.phase !== 'removed' && (m.stability === 'stable' || betaOptIn))
      .filter((m) => modelAllowed(principal.models, m.id) && modelAllowed(tenantModels, m.id))
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(toModelObject);
    return { object: 'list', data };
  }

  // Model ids contain colons and may contain slashes (nvidia/llama-nemotron-rerank-vl-1b-v2).
  @Get('*')
  retrieve(@Req() req: FastifyRequest, @Param('*') id: string) {
    const model = this.catalog.get(id);
    if (!model || (model.stability === 'experimental' && !req.tenant?.betaOptIn)) {
      throw new ApiError(404, 'invalid_request_error', `The model '${id}' does not exist.`, 'model_not_found', 'model');
    }
    if (model.phase === 'removed') {
      const next = model.recommendedMigration ? ` Use '${model.recommendedMigration}' instead.` : '';
      throw new ApiError(410, 'invalid_request_error', `The model '${id}' was removed on ${model.endOfSupportDate ?? 'its end-of-support date'}.${next}`, 'model_deprecated', 'model');
    }
    return toModelObject(model);
  }
}
