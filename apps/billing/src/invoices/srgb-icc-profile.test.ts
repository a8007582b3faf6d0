import { describe, expect, it } from 'vitest';

import { srgbIccProfile } from './srgb-icc-profile.js';

describe('srgbIccProfile', () => {
  const icc = srgbIccProfile();
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  const ascii = (at: number, length = 4): string =>
    new TextDecoder().decode(icc.slice(at, at + length));

  it('has a valid ICC v2 header for an RGB display profile', () => {
    expect(view.getUint32(0)).toBe(icc.length);
    expect(view.getUint32(8)).toBe(0x02100000);
    expect([ascii(12), ascii(16), ascii(20), ascii(36)]).toEqual(['mntr', 'RGB ', 'XYZ ', 'acsp']);
  });

  it('lists the tags of a matrix/TRC profile, each inside the file and 4-byte aligned', () => {
    const count = view.getUint32(128);
    const tags = Array.from({ length: count }, (_, i) => ({
      signature: ascii(132 + i * 12),
      offset: view.getUint32(136 + i * 12),
      size: view.getUint32(140 + i * 12),
    }));
    expect(tags.map((t) => t.signature).sort()).toEqual([
      'bTRC',
      'bXYZ',
      'cprt',
      'desc',
      'gTRC',
      'gXYZ',
      'rTRC',
      'rXYZ',
      'wtpt',
    ]);
    for (const t of tags) {
      expect(t.offset % 4).toBe(0);
      expect(t.offset + t.size).toBeLessThanOrEqual(icc.length);
    }
    const red = tags.find((t) => t.signature === 'rXYZ');
    // The red colorant's X, in s15Fixed16: 0.4360747 × 65536 ≈ 28579
    expect(view.getInt32((red?.offset ?? 0) + 8)).toBe(28579);
  });
});
