import { createHash } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS } from '@llmaas/redis';
import { type Redis } from 'ioredis';

import { WINDOW, type History } from '../layers/behaviour.js';

/** How long a key's recent prompts are remembered (a fragmented attack comes within minutes). */
const TTL_SECONDS = 600;
/** Each prompt is kept up to this length: fragments are short, and the window stays small. */
const KEEP_CHARS = 4000;

// One round trip: count the repeats of this exact prompt, read the window, push this prompt.
const RECORD = `
local d = redis.call('HGET', KEYS[1], 'd')
local c
if d == ARGV[1] then c = redis.call('HINCRBY', KEYS[1], 'c', 1) else redis.call('HSET', KEYS[1], 'd', ARGV[1], 'c', 1); c = 1 end
redis.call('EXPIRE', KEYS[1], ARGV[2])
local recent = redis.call('LRANGE', KEYS[2], 0, tonumber(ARGV[3]) - 2)
redis.call('LPUSH', KEYS[2], ARGV[4])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return {c, recent}
`;

/** Layer 3's memory: per tenant and key, the latest prompts and how often the last one repeated. */
@Injectable()
export class PromptHistory {
  private readonly logger = new Logger('history');
  private failing = false;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Records `prompt` and returns what came before it; null when Redis is away (layer 3 is then skipped). */
  async record(tenantId: string, keyId: string, prompt: string): Promise<History | null> {
    const digest = createHash('sha256').update(prompt).digest('hex');
    const base = `guard:${tenantId}:${keyId}`;
    try {
      const [repeats, recent] = (await this.redis.eval(RECORD, 2, `${base}:repeat`, `${base}:recent`, digest, TTL_SECONDS, WINDOW, prompt.slice(0, KEEP_CHARS))) as [number, string[]];
      if (this.failing) this.logger.log('prompt history reachable again');
      this.failing = false;
      return { repeats: Number(repeats), recent };
    } catch (error) {
      if (!this.failing) this.logger.warn({ msg: 'prompt history unavailable: the behaviour layer is skipped', err: error instanceof Error ? error.message : String(error) });
      this.failing = true;
      return null;
    }
  }
}
