import { type CatalogModel } from '@llmaas/contracts';

import { ApiError } from '../http/api-error.js';

export const STATUS_PAGE_PATH = '/status/lifecycle';

const httpDate = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`).toUTCString();
const unixSeconds = (isoDay: string) => Math.floor(Date.parse(`${isoDay}T00:00:00Z`) / 1000);

/**
 * What a call to a model in its notice period carries: `Deprecation` (RFC 9745, the date it was
 * announced), `Sunset` (RFC 8594, the end of support) and `Link`s to the status page and to the
 * successor. Empty for any other phase.
 */
export function lifecycleHeaders(model: CatalogModel): Record<string, string> {
  if (model.phase !== 'notice' || !model.endOfSupportDate || !model.noticeStartDate) return {};
  const links = [`<${STATUS_PAGE_PATH}>; rel="deprecation"; type="text/html"`];
  if (model.recommendedMigration) links.push(`</v1/models/${model.recommendedMigration}>; rel="successor-version"`);
  return {
    deprecation: `@${unixSeconds(model.noticeStartDate)}`,
    sunset: httpDate(model.endOfSupportDate),
    link: links.join(', '),
  };
}

/** The error for a model that is not served: unknown (404) or removed, naming its migration (410). */
export function unavailableModel(id: string, model: CatalogModel | undefined, betaOptIn: boolean): ApiError | null {
  if (!model || (model.stability === 'experimental' && !betaOptIn)) {
    return new ApiError(404, 'invalid_request_error', `The model '${id}' does not exist.`, 'model_not_found', 'model');
  }
  if (model.phase === 'removed') {
    const next = model.recommendedMigration ? ` Use '${model.recommendedMigration}' instead.` : '';
    return new ApiError(410, 'invalid_request_error', `The model '${id}' was removed on ${model.endOfSupportDate ?? 'its end-of-support date'}.${next}`, 'model_deprecated', 'model');
  }
  return null;
}
