import { describe, expect, it } from 'vitest';
import { DEFAULT_ZONES, type ZoneTable } from '../../platform/index.ts';
import { destinationOf, distanceOf } from './zones.ts';

const zones: ZoneTable = DEFAULT_ZONES;

describe('destinationOf', () => {
  it('puts an address in the zone listing its subdivision, else the zone listing its whole country', () => {
    expect(destinationOf(zones, 'US', 'CA')).toEqual({ country: 'US', region: 'CA', zone: 'us-west', continent: 'NA' });
    expect(destinationOf(zones, 'us', ' us-wa ')).toMatchObject({ region: 'WA', zone: 'us-west' });
    expect(destinationOf(zones, 'US', 'NY')).toMatchObject({ zone: 'us-east' });
    expect(destinationOf(zones, 'US', null)).toMatchObject({ region: null, zone: 'us-east' });
    expect(destinationOf(zones, 'US', 'California')).toMatchObject({ region: 'CALIFORNIA', zone: 'us-east' });
    expect(destinationOf(zones, 'FR')).toEqual({ country: 'FR', region: null, zone: 'eu-west', continent: 'EU' });
  });

  it('has no destination for a country no zone serves', () => {
    expect(destinationOf(zones, 'AQ', null)).toBeNull();
    expect(destinationOf({ west: { continent: 'NA', countries: { US: ['CA'] } } }, 'US', 'NY')).toBeNull();
  });
});

describe('distanceOf', () => {
  const to = (country: string, region: string | null = null) => destinationOf(zones, country, region)!;

  it('is zone, country, continent or world, nearest first', () => {
    expect(distanceOf(zones, 'us-west', to('US', 'CA'))).toBe('zone');
    expect(distanceOf(zones, 'us-east', to('US', 'CA'))).toBe('country');
    expect(distanceOf(zones, 'us-west', to('US', 'NY'))).toBe('country');
    expect(distanceOf(zones, 'ca-central', to('US', 'NY'))).toBe('continent');
    expect(distanceOf(zones, 'eu-central', to('FR'))).toBe('continent');
    expect(distanceOf(zones, 'eu-west', to('US', 'NY'))).toBe('world');
  });

  it('counts a warehouse region the table does not know as world', () => {
    expect(distanceOf(zones, 'moon-base', to('US'))).toBe('world');
    expect(distanceOf(zones, 'constructor', to('US'))).toBe('world');
  });
});
