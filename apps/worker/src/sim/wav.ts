/** What a WAV header tells: enough to know how long the audio is. */
export interface WavInfo {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly dataBytes: number;
  readonly durationSeconds: number;
}

/**
 * Reads a RIFF/WAVE header: walks the chunks for `fmt ` and `data`. Throws on anything that is not
 * a well-formed WAV, so the endpoint can answer 400. A data chunk whose declared size runs past
 * the end (streamed WAVs write 0 or 0xFFFFFFFF) counts only the bytes present.
 */
export function parseWav(bytes: Buffer): WavInfo {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a WAV file (no RIFF/WAVE header)');
  }
  let offset = 12;
  let fmt: { channels: number; sampleRate: number; byteRate: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new Error('WAV fmt chunk is truncated');
      fmt = {
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        byteRate: bytes.readUInt32LE(body + 8),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
      if (fmt.channels === 0 || fmt.sampleRate === 0 || fmt.bitsPerSample === 0) throw new Error('WAV fmt chunk has zero channels, rate or sample size');
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV data chunk before its fmt chunk');
      const dataBytes = Math.min(size, bytes.length - body);
      const byteRate = fmt.sampleRate * fmt.channels * (fmt.bitsPerSample / 8) || fmt.byteRate;
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bitsPerSample: fmt.bitsPerSample, dataBytes, durationSeconds: dataBytes / byteRate };
    }
    // Chunks are padded to an even size.
    offset = body + size + (size % 2);
  }
  throw new Error(fmt ? 'WAV has no data chunk' : 'WAV has no fmt chunk');
}

/** A PCM WAV of silence, for tests and examples. */
export function silentWav(seconds: number, sampleRate = 16_000, channels = 1, bitsPerSample = 16): Buffer {
  const dataBytes = Math.round(seconds * sampleRate) * channels * (bitsPerSample / 8);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * (bitsPerSample / 8), 28);
  header.writeUInt16LE(channels * (bitsPerSample / 8), 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}
