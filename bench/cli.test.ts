import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli.ts';

describe('bench:drop arguments', () => {
  it('defaults to the issue’s crowd, the line holding the waiting sockets', () => {
    const a = parseArgs([], new Date('2026-01-02T03:04:05.678Z'));
    expect(a).toMatchObject({ buyers: 100_000, units: 1_000, sockets: 10_000, queueLimit: 10_000, connections: 256, skip: [], profile: [] });
    expect(a.out).toBe('bench/results/drop-2026-01-02T03-04-05-678Z.json');
  });

  it('reads both flag forms; a queue limit of 0 lets every buyer in line', () => {
    expect(parseArgs(['--buyers=500', '--units', '5', '--sockets', '0', '--queue-limit', '0', '--skip', 'joins,baseline'])).toMatchObject({
      buyers: 500,
      units: 5,
      sockets: 0,
      queueLimit: 500,
      skip: ['joins', 'baseline'],
    });
  });

  it('refuses what it does not know rather than ignoring it', () => {
    expect(() => parseArgs(['--skip', 'ceiling'])).toThrow('--skip: unknown ceiling');
    expect(() => parseArgs(['--profile', 'edge,sequencr'])).toThrow('--profile: unknown sequencr');
    expect(() => parseArgs(['--buyers=-1'])).toThrow('--buyers needs an integer >= 1');
    expect(() => parseArgs(['--buyers', '-1'])).toThrow("Option '--buyers' argument is ambiguous");
    expect(() => parseArgs(['--units', '10', '--buyers', '5'])).toThrow('must not exceed');
    expect(() => parseArgs(['--fast'])).toThrow("Unknown option '--fast'");
  });
});
