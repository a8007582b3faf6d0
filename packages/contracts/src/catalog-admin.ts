import { z } from 'zod';

import { catalogModel } from './messages.js';
import { id, modelKind, timestamp } from './primitives.js';

const isoDay = z.iso.date('a date as YYYY-MM-DD');
const stability = z.enum(['stable', 'experimental']);

/** A model id as it appears in URLs and requests: `gpt-oss:120b`, `nvidia/llama-nemotron-rerank-vl-1b-v2`. */
export const catalogModelId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'letters, digits and . _ : / -, starting with a letter or digit');

/** An operator adding a model. Without a production date it starts in evaluation. */
export const modelCreate = z
  .object({
    id: catalogModelId,
    publisher: z.string().min(1).max(200),
    kind: modelKind,
    paramsBillion: z.number().positive().max(100_000),
    contextLength: z.number().int().positive().max(100_000_000),
    reasoning: z.boolean().default(false),
    lts: z.boolean().default(false),
    stability: stability.default('stable'),
    productionDate: isoDay.nullable().default(null),
    endOfSupportDate: isoDay.nullable().default(null),
    recommendedMigration: catalogModelId.nullable().default(null),
    /** Defaults to the 4-bit estimate from the parameter count (data/README.md). */
    vramMiB: z.number().int().positive().max(10_000_000).optional(),
  })
  .strict();
export type ModelCreate = z.infer<typeof modelCreate>;

/** Any attribute and either date; the lifecycle rules (notice, LTS, order of dates) still apply. */
export const modelUpdate = modelCreate
  .omit({ id: true })
  .extend({
    reasoning: z.boolean().optional(),
    lts: z.boolean().optional(),
    stability: stability.optional(),
    productionDate: isoDay.nullable().optional(),
    endOfSupportDate: isoDay.nullable().optional(),
    recommendedMigration: catalogModelId.nullable().optional(),
  })
  .partial()
  .strict();
export type ModelUpdate = z.infer<typeof modelUpdate>;

/** Promote = set the production date (today when omitted). */
export const modelPromote = z.object({ productionDate: isoDay.optional() }).strict();
/** Deprecate = set the end of support, at least the notice period ahead. */
export const modelDeprecate = z.object({ endOfSupportDate: isoDay, recommendedMigration: catalogModelId.nullable().optional() }).strict();
/** Emergency withdrawal: removed at once, without notice; the reason is shown to callers and audited. */
export const modelWithdraw = z.object({ reason: z.string().min(3).max(500) }).strict();
export const modelGrant = z.object({ reason: z.string().max(500).nullable().default(null) }).strict();

export const tenantGrantView = z.object({ tenantId: id, grantedBy: z.string(), reason: z.string().nullable(), grantedAt: timestamp });

/** What an operator sees: the published record plus who re-enabled it for whom, and why. */
export const modelAdminView = catalogModel.extend({ grants: z.array(tenantGrantView), createdAt: timestamp });
export type ModelAdminView = z.infer<typeof modelAdminView>;
