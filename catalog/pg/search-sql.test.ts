import { describe, expect, it } from 'vitest';
import { parseSearchParams } from '../search-params.ts';
import { catalogWide, countStatement, searchStatement } from './search-sql.ts';

const query = (qs: string) => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(qs)) (out[k] ??= []).push(v);
  return parseSearchParams(out);
};

describe('catalogWide', () => {
  it('shares the total and every facet with the whole catalog when a search has no words and no filter', () => {
    expect([...catalogWide(query(''), null)].sort()).toEqual(['brand', 'category', 'price', 'rating', 'total']);
    expect([...catalogWide(query('in_stock=true'), null)].sort()).toEqual(['brand', 'category', 'price', 'rating', 'total']);
  });

  it('shares only the facet of a lone filter, and nothing once there are words or two filters', () => {
    expect([...catalogWide(query('category=audio&sort=price_asc&page=3'), null)]).toEqual(['category']);
    expect([...catalogWide(query('brand=A&brand=B'), null)]).toEqual(['brand']);
    expect(catalogWide(query('category=audio&brand=A'), null).size).toBe(0);
    expect(catalogWide(query('q=lamp&category=audio'), '(lamp)').size).toBe(0);
  });
});

describe('searchStatement', () => {
  it('passes every value as a parameter, never inside the SQL text', () => {
    const q = query("q=x'); drop table products; --&brand=O'Brien&category=a-b&price_min=5&rating_min=4.5");
    const s = searchStatement(q, "(x) & (drop)");
    expect(s.text).not.toMatch(/O'Brien|drop table|4\.5/);
    expect(s.params).toEqual(expect.arrayContaining(['(x) & (drop)', ["o'brien"], ['a-b'], 5, 4.5]));
    expect(countStatement(q, '(x)').text).not.toMatch(/O'Brien/);
  });

  it('answers the parts shared with the whole catalog as null, and leaves hits unmaterialised when it can', () => {
    const s = searchStatement(query(''), null, new Set(['total', 'brand', 'category', 'price', 'rating']));
    expect(s.text).toMatch(/null as total/);
    expect(s.text).toMatch(/null as brands,\s+null as categories,\s+null as prices,\s+null as ratings/);
    expect(s.text).toMatch(/hits as not materialized/);
  });
});
