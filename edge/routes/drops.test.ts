import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/index.ts';
import { refusedJoin, waitingRoomBase } from './drops.ts';

describe('waitingRoomBase', () => {
  it('names the host the request came to, on the waiting room port', () => {
    expect(waitingRoomBase('http://shop.local:8080/api/v1/drops/x/intents', { port: 8081 })).toBe('ws://shop.local:8081');
    expect(waitingRoomBase('https://shop.example/api', { port: 9443 })).toBe('wss://shop.example:9443');
    expect(waitingRoomBase('http://[::1]:8080/api', { port: 8081 })).toBe('ws://[::1]:8081');
  });

  it('uses the public URL when one is set', () => {
    expect(waitingRoomBase('http://10.0.0.5:8080/api', { port: 8081, publicUrl: 'wss://shop.example/room' })).toBe(
      'wss://shop.example/room',
    );
  });
});

describe('refusedJoin', () => {
  it('counts a 410 under its reason and any other refusal under its kind', () => {
    expect(refusedJoin(new AppError('gone', 'the drop is sold out', { details: { reason: 'sold_out' } }))).toBe('sold_out');
    expect(refusedJoin(new AppError('gone', 'full', { details: { reason: 'queue_full' } }))).toBe('queue_full');
    expect(refusedJoin(new AppError('rate_limited', 'slow down'))).toBe('rate_limited');
    expect(refusedJoin(new AppError('conflict', 'over the limit'))).toBe('conflict');
    expect(refusedJoin(new Error('boom'))).toBe('error');
  });
});
