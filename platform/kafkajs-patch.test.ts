import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// patches/kafkajs+2.2.4.patch rewrites kafkajs's varint encoding (no array and Buffer per number, no Long for
// small values) and its record batches' CRC-32C (eight bytes a step): their output must stay the protocol's,
// byte for byte.
const require = createRequire(import.meta.url);
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/crc32C.js') as (b: Buffer) => number;
const Encoder = require('kafkajs/src/protocol/encoder.js') as {
  new (): { writeVarInt(v: number): unknown; writeVarLong(v: number): unknown; buffer: Buffer };
  sizeOfVarLong(v: number): number;
};

/** Zigzag LEB128 of a signed 64-bit integer, the reference. */
function varlong(v: bigint): number[] {
  let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return out;
}

/** CRC-32C (Castagnoli, reflected 0x82f63b78) a bit at a time, the reference. */
function crc32cReference(b: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of b) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('kafkajs CRC-32C (patched)', () => {
  it('gives the check value and agrees with the bitwise definition at every length and alignment', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    const bytes = Buffer.from(Array.from({ length: 4_200 }, (_, i) => (i * 131 + (i >> 3)) & 0xff));
    for (let n = 0; n < 70; n++) expect(crc32C(bytes.subarray(0, n)), `length ${n}`).toBe(crc32cReference(bytes.subarray(0, n)));
    for (const start of [0, 1, 5, 7]) expect(crc32C(bytes.subarray(start)), `from ${start}`).toBe(crc32cReference(bytes.subarray(start)));
  });
});

describe('kafkajs varints (patched)', () => {
  const edges = [0, 1, -1, 63, -64, 64, -65, 8191, 8192, 2 ** 30 - 1, -(2 ** 30), 2 ** 30, -(2 ** 30) - 1, 2 ** 31 - 1, -(2 ** 31)];
  const random = Array.from({ length: 2_000 }, (_, i) => Math.round((Math.sin(i * 7.3) * 2 ** (i % 53)) / 2));

  it('encodes 32-bit varints as the protocol does', () => {
    for (const v of [...edges, ...random.map((x) => x | 0)]) {
      const e = new Encoder();
      e.writeVarInt(v);
      expect([...e.buffer], `varint ${v}`).toEqual(varlong(BigInt(v | 0)));
    }
  });

  it('encodes 64-bit varlongs, small and large, and sizes them', () => {
    for (const v of [...edges, 2 ** 40, -(2 ** 40), 1_700_000_000_000, Number.MAX_SAFE_INTEGER, ...random]) {
      const e = new Encoder();
      e.writeVarLong(v);
      const want = varlong(BigInt(v));
      expect([...e.buffer], `varlong ${v}`).toEqual(want);
      expect(Encoder.sizeOfVarLong(v), `size ${v}`).toBe(want.length);
    }
  });
});
