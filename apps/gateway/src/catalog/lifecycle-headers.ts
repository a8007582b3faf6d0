import { visibleTo, type CatalogModel, type ModelViewer } from '@llmaas/contracts';

import { ApiError } from '../http/api-error.js';

// Shared with the batch service's validation: one rule for who sees a model.
export { visibleTo, type ModelViewer } from '@llmaas/contracts';

export const STATUS_PAGE_PATH = '/status/lifecycle';

const httpDate = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`).toUTCString();
const unixSeconds = (isoDay: string) => Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / 1000);

/**
 * What a call to a model past its announcement carries: `Deprecation` (RFC 9745, the date it was
 * announced), `Sunset` (RFC 8594, the end of support) and `Link`s to the status page and to the
 * successor. For a model in its notice period, and for a removed one a tenant was re-enabled for.
 */
export function lifecycleHeaders(model: CatalogModel): Record<string, string> {
  if ((model.phase !== 'notice' && model.phase !== 'removed') || !model.endOfSupportDate || !model.noticeStartDate) return {};
  const links = [`<${STATUS_PAGE_PATH}>; rel="deprecation"; type="text/html"`];
  if (model.recommendedMigration) links.push(`</v1/models/${model.recommendedMigration}>; rel="successor-version"`);
  return {
    deprecation: `@${unixSeconds(model.noticeStartDate)}`,
    sunset: httpDate(model.endOfSupportDate),
    link: links.join(', '),
  };
}

/** The error for a model that is not served to this tenant: unknown (404) or removed, naming its migration (410). */
export function unavailableModel(id: string, model: CatalogModel | undefined, viewer: ModelViewer): ApiError | null {
  if (model?.phase === 'removed' && !visibleTo(model, viewer)) {
    const next = model.recommendedMigration ? ` Use '${model.recommendedMigration}' instead.` : '';
    const when = model.withdrawnAt ? `withdrawn on ${model.withdrawnAt.slice(0, 10)}${model.withdrawnReason ? ` (${model.withdrawnReason})` : ''}` : `removed on ${model.endOfSupportDate ?? 'its end-of-support date'}`;
    return new ApiError(410, 'invalid_request_error', `The model '${id}' was ${when}.${next}`, 'model_deprecated', 'model');
  }
  if (!model || !visibleTo(model, viewer)) {
    return new ApiError(404, 'invalid_request_error', `The model '${id}' does not exist.`, 'model_not_found', 'model');
  }
  return null;
}
