import { describe, expect, it } from 'vitest';
import { DEFAULT_ZONES } from '../platform/index.ts';
import { destinations } from './destinations.ts';

describe('destinations', () => {
  it('lists every country a zone serves by English name, with the regions only where zones split it', () => {
    const all = destinations(DEFAULT_ZONES);
    expect(all.map((d) => d.name)).toEqual([...all.map((d) => d.name)].sort((a, b) => a.localeCompare(b, 'en')));
    expect(all.find((d) => d.country === 'US')).toEqual({
      country: 'US',
      name: 'United States',
      regions: ['AK', 'AZ', 'CA', 'CO', 'HI', 'ID', 'MT', 'NM', 'NV', 'OR', 'UT', 'WA', 'WY'],
      whole: true,
    });
    expect(all.find((d) => d.country === 'DE')).toEqual({ country: 'DE', name: 'Germany', regions: [], whole: true });
  });

  it('says when only the listed regions of a country ship', () => {
    const zones = { north: { continent: 'EU', countries: { GB: ['SCT', 'NIR'] } }, south: { continent: 'EU', countries: { FR: '*' as const } } };
    expect(destinations(zones)).toEqual([
      { country: 'FR', name: 'France', regions: [], whole: true },
      { country: 'GB', name: 'United Kingdom', regions: ['NIR', 'SCT'], whole: false },
    ]);
  });
});
