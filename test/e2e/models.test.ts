import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

import { developerKey, gatewayUrl } from '../support/platform.js';

// The official OpenAI SDK, pointed at the gateway as a customer would.
const client = () => new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: developerKey(), maxRetries: 0 });
const today = new Date().toISOString().slice(0, 10);

type OurModel = OpenAI.Models.Model & { phase: string; end_of_support_date: string | null; kind: string; recommended_migration: string | null };

describe('GET /v1/models with the openai SDK', () => {
  it('lists the live catalog in OpenAI\'s shape, with lifecycle fields, and no removed model', async () => {
    const models: OurModel[] = [];
    for await (const model of client().models.list()) models.push(model as OurModel);
    expect(models.length).toBeGreaterThan(10);
    for (const m of models) {
      expect(m.object).toBe('model');
      expect(['evaluation', 'production', 'notice']).toContain(m.phase);
      if (m.end_of_support_date) expect(m.end_of_support_date > today).toBe(true);
    }
    // Deprecated long ago (data/deprecated-models.csv): never listed.
    expect(models.map((m) => m.id)).not.toContain('qwen3:8b');
  });

  it('retrieves one model, ids with slashes included', async () => {
    const all: OurModel[] = [];
    for await (const model of client().models.list()) all.push(model as OurModel);
    const live = all[0];
    if (!live) throw new Error('no live model');
    expect((await client().models.retrieve(live.id)).id).toBe(live.id);
    const slashed = all.find((m) => m.id.includes('/'));
    if (slashed) expect((await client().models.retrieve(slashed.id)).id).toBe(slashed.id);
  });

  it('answers 404 model_not_found for an unknown model and 410 naming the migration for a removed one', async () => {
    await expect(client().models.retrieve('no-such-model:1b')).rejects.toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error' });
    const removed = await client().models.retrieve('qwen3:8b').catch((error: unknown) => error);
    expect(removed).toBeInstanceOf(OpenAI.APIError);
    expect(removed).toMatchObject({ status: 410, code: 'model_deprecated', param: 'model' });
    expect((removed as Error).message).toMatch(/Use '[^']+' instead/);
  });
});

describe('lifecycle behaviour on calls', () => {
  const call = (model: string) =>
    fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${developerKey()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it('refuses a call to a removed model with 410 and to an unknown one with 404', async () => {
    const removed = await call('qwen3:8b');
    expect(removed.status).toBe(410);
    expect(((await removed.json()) as { error: { code: string } }).error.code).toBe('model_deprecated');
    const unknown = await call('no-such-model:1b');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('model_not_found');
  });
});
