import { describe, expect, it } from 'vitest';

import { keysDueForRotation, predecessorExpiry, type RotationCandidate } from './rotation-policy.js';

const now = new Date('2026-11-26T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const key = (id: string, over: Partial<RotationCandidate>): RotationCandidate => ({ id, createdAt: daysAgo(1), expiresAt: null, revokedAt: null, hasSuccessor: false, ...over });

describe('keysDueForRotation', () => {
  it('rotates keys that reached the rotation age, and only those', () => {
    const keys = [key('old', { createdAt: daysAgo(90) }), key('young', { createdAt: daysAgo(89) })];
    expect(keysDueForRotation(keys, 90, now)).toEqual(['old']);
  });

  it('rotates a key about to expire before it does', () => {
    const keys = [key('soon', { expiresAt: new Date(now.getTime() + 3 * 86_400_000) }), key('later', { expiresAt: new Date(now.getTime() + 30 * 86_400_000) })];
    expect(keysDueForRotation(keys, 90, now)).toEqual(['soon']);
  });

  it('leaves revoked, expired and already rotated keys alone', () => {
    const keys = [
      key('revoked', { createdAt: daysAgo(200), revokedAt: daysAgo(1) }),
      key('expired', { createdAt: daysAgo(200), expiresAt: daysAgo(1) }),
      key('rotated', { createdAt: daysAgo(200), hasSuccessor: true }),
    ];
    expect(keysDueForRotation(keys, 90, now)).toEqual([]);
  });
});

describe('predecessorExpiry', () => {
  it('ends the overlap after the given hours, never extending an earlier expiry', () => {
    expect(predecessorExpiry(null, now, 24).toISOString()).toBe('2026-11-27T12:00:00.000Z');
    const earlier = new Date('2026-11-26T18:00:00Z');
    expect(predecessorExpiry(earlier, now, 24)).toBe(earlier);
  });
});
