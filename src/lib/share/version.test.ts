import { describe, expect, it } from 'vitest';
import { decodeExperiment, encodeExperiment } from './codec';
import { DEFAULT_EXPERIMENT } from './state';
import { LINK_VERSION, migrate, MIGRATIONS, readVersion, type Migration } from './version';

describe('link versions', () => {
  it('has a migration into every version after the first', () => {
    for (let version = 1; version < LINK_VERSION; version++) expect(MIGRATIONS[version], `v=${version} → v=${version + 1}`).toBeDefined();
  });

  it.each([
    ['', LINK_VERSION, /no version/],
    ['v=1', 1, null],
    ['v=abc', LINK_VERSION, /not a link version/],
    ['v=-1', LINK_VERSION, /not a link version/],
    ['v=1&v=1', LINK_VERSION, /given 2 times/],
    ['v=7', LINK_VERSION, /newer BLR Playground \(v=7\)/],
  ])('reads %j as v=%i', (query, version, message) => {
    const read = readVersion(new URLSearchParams(query));
    expect(read.version).toBe(version);
    if (message) expect(read.notices[0].message).toMatch(message);
    else expect(read.notices).toEqual([]);
  });

  it('reads a link from a newer version as far as it can', () => {
    const { state, notices } = decodeExperiment('v=2&structure=blast&blocks=8&rank=64&tokens=16&colour=blue');
    expect(notices.map((n) => n.param)).toEqual(['v', 'colour']);
    expect(state).toMatchObject({ structure: 'blast', blocks: 8, rank: 64, tokens: 16 });
  });

  it('does not change the caller\'s parameters', () => {
    const params = new URLSearchParams('v=1&tokens=7');
    decodeExperiment(params);
    expect(params.toString()).toBe('v=1&tokens=7');
  });
});

/*
 * How a future v=2 reads today's links. Suppose v=2 renames `blocks` to `b` and writes dtype as
 * `precision=half|single`. The v=2 change sets LINK_VERSION = 2 and adds MIGRATIONS[1] below;
 * decodeExperiment then runs every v=1 link through it before reading it with the v=2 table.
 */
const toV2: Migration = (params) => {
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    if (key === 'v') out.append('v', '2');
    else if (key === 'blocks') out.append('b', value);
    else if (key === 'dtype') out.append('precision', value === 'f16' ? 'half' : value === 'f32' ? 'single' : value);
    else out.append(key, value);
  }
  return out;
};

describe('migration example: v=1 read by a future v=2', () => {
  it('rewrites a v=1 link into v=2 parameters, keeping everything else', () => {
    const v1 = new URLSearchParams(encodeExperiment({ ...DEFAULT_EXPERIMENT, dtype: 'f16' }));
    const { params, notices } = migrate(v1, 1, 2, { 1: toV2 });
    expect(notices).toEqual([]);
    expect(params.get('v')).toBe('2');
    expect(params.get('b')).toBe('16');
    expect(params.has('blocks')).toBe(false);
    expect(params.get('precision')).toBe('half');
    expect(params.get('sweep')).toBe('1,16,128,1024');
    expect(v1.get('blocks')).toBe('16');
  });

  it('says so when a step is missing, and goes on with what it has', () => {
    const { params, notices } = migrate(new URLSearchParams('v=1&blocks=4'), 1, 3, { 1: toV2 });
    expect(params.get('b')).toBe('4');
    expect(notices).toEqual([{ param: 'v', value: '1', message: 'no migration from v=2 to v=3; read as v=3 as far as possible' }]);
  });
});
