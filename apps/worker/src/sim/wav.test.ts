import { describe, expect, it } from 'vitest';

import { transcript } from './text-gen.js';
import { parseWav, silentWav } from './wav.js';

describe('parseWav', () => {
  it('reads the duration from the header', () => {
    expect(parseWav(silentWav(2.5)).durationSeconds).toBeCloseTo(2.5);
    const stereo = parseWav(silentWav(1, 44_100, 2, 16));
    expect(stereo).toMatchObject({ sampleRate: 44_100, channels: 2, bitsPerSample: 16, dataBytes: 44_100 * 4 });
    expect(stereo.durationSeconds).toBeCloseTo(1);
  });

  it('skips unknown chunks', () => {
    const wav = silentWav(1);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([3, 0, 0, 0]), Buffer.from('abc'), Buffer.from([0])]);
    const withList = Buffer.concat([wav.subarray(0, 36), list, wav.subarray(36)]);
    expect(parseWav(withList).durationSeconds).toBeCloseTo(1);
  });

  it('rejects what is not a WAV', () => {
    expect(() => parseWav(Buffer.from('ID3 this is an mp3'))).toThrow(/not a WAV/);
    expect(() => parseWav(silentWav(1).subarray(0, 30))).toThrow(/truncated|no fmt/);
    expect(() => parseWav(silentWav(1).subarray(0, 36))).toThrow(/no data/);
  });

  it('transcribes deterministically, longer audio into more words', () => {
    expect(transcript(1, 4)).toBe(transcript(1, 4));
    expect(transcript(1, 10).split(' ').length).toBeGreaterThan(transcript(1, 2).split(' ').length);
  });
});
