import { describe, expect, it } from 'vitest';

import { RecentTexts } from './recent-texts.js';

describe('RecentTexts', () => {
  it('keeps the most recently used texts up to its capacity, and no long text', () => {
    const cache = new RecentTexts<number>(2, 5);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    cache.set('toolong', 4);
    expect(cache.get('toolong')).toBeUndefined();
    expect(cache.size).toBe(2);
  });
});
