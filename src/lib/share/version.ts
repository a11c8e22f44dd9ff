/** The link format's version (`v=`) and the migrations that keep old links working. */
import { notice, type LinkNotice } from './notices';

export const LINK_VERSION = 1;
export const VERSION_KEY = 'v';

export type Migration = (params: URLSearchParams) => URLSearchParams;

/**
 * MIGRATIONS[N] rewrites a v=N link's parameters into v=N+1 ones. A change that renames a key
 * or changes a value's meaning bumps LINK_VERSION and adds the step from the old version here,
 * so every link ever made still reads (see version.test.ts for a worked v=1 → v=2 step).
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

/** The version a link claims, read leniently: anything unusable is read as the current one. */
export function readVersion(params: URLSearchParams): { version: number; notices: LinkNotice[] } {
  const raws = params.getAll(VERSION_KEY);
  const current = (message: string) => ({ version: LINK_VERSION, notices: [notice(VERSION_KEY, raws.join(' | '), message)] });
  if (raws.length === 0) return current(`the link has no version; read as v=${LINK_VERSION}`);
  if (raws.length > 1) return current(`given ${raws.length} times; read as v=${LINK_VERSION}`);
  const version = /^[0-9]{1,6}$/.test(raws[0]) ? Number(raws[0]) : 0;
  if (version < 1) return current(`not a link version (a whole number from 1); read as v=${LINK_VERSION}`);
  if (version > LINK_VERSION) {
    return current(`made by a newer BLR Playground (v=${version}); this one reads v=${LINK_VERSION}, so settings it does not know are left at their defaults`);
  }
  return { version, notices: [] };
}

/** `params` of a v=`from` link brought up to v=`to`, one migration step at a time. */
export function migrate(
  params: URLSearchParams,
  from: number,
  to: number = LINK_VERSION,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
): { params: URLSearchParams; notices: LinkNotice[] } {
  if (from >= to) return { params, notices: [] };
  // Copied through its text: a browser copies a URLSearchParams of thousands of keys slowly pair by pair.
  let current = new URLSearchParams(params.toString());
  for (let version = from; version < to; version++) {
    const step = migrations[version];
    if (!step) {
      return { params: current, notices: [notice(VERSION_KEY, String(from), `no migration from v=${version} to v=${version + 1}; read as v=${to} as far as possible`)] };
    }
    current = step(current);
  }
  return { params: current, notices: [] };
}
