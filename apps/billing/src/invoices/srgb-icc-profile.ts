// A PDF/A file that paints in DeviceRGB must say which RGB it means, with an ICC profile in its
// output intent. No npm package ships one, so we build the standard sRGB display profile here
// (ICC.1 version 2.1, matrix/TRC): the sRGB primaries adapted to D50 and the sRGB tone curve.
// Colour, not money: floating point is what ICC fixed-point numbers are made from.

const s15Fixed16 = (value: number): number => Math.round(value * 65536);

function tag(signature: string, body: number[]): { signature: string; data: Uint8Array } {
  // Tag data is 4-byte aligned.
  const padded = [...body, ...new Array<number>((4 - (body.length % 4)) % 4).fill(0)];
  return { signature, data: Uint8Array.from(padded) };
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const u32 = (n: number): number[] => [
  (n >>> 24) & 0xff,
  (n >>> 16) & 0xff,
  (n >>> 8) & 0xff,
  n & 0xff,
];
const u16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const xyz = (x: number, y: number, z: number): number[] => [
  ...ascii('XYZ '),
  0,
  0,
  0,
  0,
  ...[x, y, z].flatMap((v) => u32(s15Fixed16(v) >>> 0)),
];

function textDescription(text: string): number[] {
  // textDescriptionType: ASCII, then empty Unicode and ScriptCode descriptions.
  return [
    ...ascii('desc'),
    0,
    0,
    0,
    0,
    ...u32(text.length + 1),
    ...ascii(text),
    0,
    ...u32(0),
    ...u32(0),
    ...u16(0),
    0,
    ...new Array<number>(67).fill(0),
  ];
}

function srgbToneCurve(points: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < points; i += 1) {
    const v = i / (points - 1);
    const linear = v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    samples.push(...u16(Math.round(linear * 65535)));
  }
  return [...ascii('curv'), 0, 0, 0, 0, ...u32(points), ...samples];
}

let cached: Uint8Array | undefined;

export function srgbIccProfile(): Uint8Array {
  if (cached !== undefined) return cached;
  const curve = tag('rTRC', srgbToneCurve(1024));
  const tags = [
    tag('desc', textDescription('sRGB IEC61966-2.1')),
    tag('cprt', [...ascii('text'), 0, 0, 0, 0, ...ascii('No copyright, use freely'), 0]),
    tag('wtpt', xyz(0.9642, 1.0, 0.8249)),
    tag('rXYZ', xyz(0.4360747, 0.2225045, 0.0139322)),
    tag('gXYZ', xyz(0.3850649, 0.7168786, 0.0971045)),
    tag('bXYZ', xyz(0.1430804, 0.0606169, 0.7141733)),
    curve,
    { signature: 'gTRC', data: curve.data },
    { signature: 'bTRC', data: curve.data },
  ];

  const headerSize = 128;
  const tableSize = 4 + tags.length * 12;
  // The three tone curves share one copy of the data, as the format allows.
  const offsets = new Map<Uint8Array, number>();
  let offset = headerSize + tableSize;
  for (const t of tags) {
    if (!offsets.has(t.data)) {
      offsets.set(t.data, offset);
      offset += t.data.length;
    }
  }
  const size = offset;

  const header = [
    ...u32(size),
    ...u32(0), // preferred CMM
    ...u32(0x02100000), // version 2.1.0
    ...ascii('mntr'),
    ...ascii('RGB '),
    ...ascii('XYZ '),
    ...u16(2000),
    ...u16(1),
    ...u16(1),
    ...u16(0),
    ...u16(0),
    ...u16(0), // creation date
    ...ascii('acsp'),
    ...u32(0), // platform
    ...u32(0), // flags
    ...u32(0), // manufacturer
    ...u32(0), // model
    ...u32(0),
    ...u32(0), // attributes
    ...u32(0), // rendering intent: perceptual
    ...xyz(0.9642, 1.0, 0.8249).slice(8), // PCS illuminant, D50
    ...u32(0), // creator
  ];
  const bytes = new Uint8Array(size);
  bytes.set(header, 0);
  const table = [
    ...u32(tags.length),
    ...tags.flatMap((t) => [
      ...ascii(t.signature),
      ...u32(offsets.get(t.data) ?? 0),
      ...u32(t.data.length),
    ]),
  ];
  bytes.set(table, headerSize);
  for (const [data, at] of offsets) bytes.set(data, at);
  cached = bytes;
  return bytes;
}
