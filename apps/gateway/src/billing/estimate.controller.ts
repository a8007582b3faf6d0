import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { rpc } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { CatalogDirectory } from '@llmaas/service-kit';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { callerOf } from '../auth/principal.js';
import { ApiError } from '../http/api-error.js';
import { parseInput } from '../http/parse-input.js';
import { promptTexts } from '../inference/prompt-guard.js';
import { requestedMaxTokens, requestTexts } from '../limits/token-estimate.js';

const estimateBody = z
  .object({
    model: z.string().min(1).max(200),
    messages: z.array(z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional() }).passthrough()).optional(),
    prompt: z.union([z.string(), z.array(z.string())]).optional(),
    input: z.union([z.string(), z.array(z.string())]).optional(),
    query: z.string().optional(),
    documents: z.array(z.string()).optional(),
    max_tokens: z.number().int().positive().optional(),
    max_completion_tokens: z.number().int().positive().optional(),
    audio_seconds: z.number().nonnegative().optional(),
    mode: z.enum(['interactive', 'batch']).default('interactive'),
  })
  .refine((b) => b.messages || b.prompt !== undefined || b.input !== undefined || b.query !== undefined || b.audio_seconds !== undefined, { message: 'one of messages, prompt, input, query or audio_seconds is required' });

/**
 * `POST /v1/billing/estimate`: what a request would cost at most, before sending it — the input
 * counted with a real tokenizer (o200k, what the engines fall back to), the completion at its
 * ceiling, priced by billing with this tenant's prices now.
 */
@Controller('v1/billing')
export class EstimateController {
  constructor(
    private readonly rpcClient: RpcClient,
    private readonly catalog: CatalogDirectory,
  ) {}

  @Post('estimate')
  @HttpCode(200)
  async estimate(@Req() req: FastifyRequest, @Body() raw: unknown) {
    const body = parseInput(estimateBody, raw);
    const model = this.catalog.get(body.model);
    if (!model) throw new ApiError(404, 'invalid_request_error', `The model '${body.model}' does not exist.`, 'model_not_found', 'model');
    const { countTokens } = await import('gpt-tokenizer/encoding/o200k_base');
    const record = body as unknown as Record<string, unknown>;
    const texts = requestTexts(record, promptTexts(record)).filter((t) => model.kind !== 'rerank' || t === body.query);
    const inputTokens = texts.reduce((n, t) => n + countTokens(t), 0);
    const generative = !['embedding', 'rerank', 'audio-transcription'].includes(model.kind);
    const maxOutputTokens = generative ? (requestedMaxTokens(record) ?? model.contextLength - inputTokens) : 0;
    if (maxOutputTokens < 0) throw new ApiError(400, 'invalid_request_error', `The prompt has ${inputTokens} tokens, more than the model's context of ${model.contextLength}.`, 'context_length_exceeded', 'messages');
    const estimate = await this.rpcClient.call(rpc.billingEstimate, {
      tenantId: callerOf(req).tenantId,
      model: model.id,
      kind: model.kind,
      mode: body.mode,
      inputTokens,
      maxOutputTokens,
      documents: body.documents?.length ?? 0,
      audioSeconds: body.audio_seconds ?? 0,
    });
    return {
      object: 'billing.estimate',
      model: estimate.model,
      mode: body.mode,
      currency: estimate.currency,
      input_tokens: inputTokens,
      max_output_tokens: maxOutputTokens,
      lines: estimate.lines.map((l) => ({ item: l.item, quantity: l.quantity, unit: l.unit, unit_size: l.unitSize, unit_price_eur: l.unitPriceEur, amount_eur: l.amountEur })),
      total_eur: estimate.totalEur,
      total_eur_rounded: estimate.totalEurRounded,
      price_book_version: estimate.priceBookVersion,
      negotiated_version: estimate.negotiatedVersion,
    };
  }
}
