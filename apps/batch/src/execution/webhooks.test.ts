import { describe, expect, it } from 'vitest';

import { signWebhook, webhookEvent } from './webhooks.js';

describe('batch webhooks', () => {
  it('signs as Standard Webhooks does (the specification\u2019s example vector)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with the body, the id and the timestamp', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const base = signWebhook(secret, 'evt_1', 1, '{}');
    expect(signWebhook(secret, 'evt_2', 1, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'evt_1', 2, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'evt_1', 1, '{ }')).not.toBe(base);
  });

  it('sends OpenAI\u2019s event shape', () => {
    expect(webhookEvent({ eventId: 'evt_1', type: 'batch.completed', createdAt: 1700000000, batchId: 'batch_1' })).toEqual({ object: 'event', id: 'evt_1', type: 'batch.completed', created_at: 1700000000, data: { id: 'batch_1' } });
  });
});
