/**
 * The feeds the page has loaded: the site's default feed and any remote ones, merged; each
 * feed's outcome (loading, loaded, refused and why), which stays until that feed loads; and one
 * announced message for the latest load, refusal or refresh. A refused feed changes nothing else.
 */
import { mergeFeeds, type FeedDocument } from '../../lib/feed';
import { fetchFeed, fetchRemoteFeed, type FetchFeedOutcome, type FetchLike, type Validators } from './fetch-feed';
import { OWN_DEVICE_ID } from './own-results';

export const DEFAULT_ORIGIN = 'default';

export interface LoadedFeed {
  /** DEFAULT_ORIGIN or the URL as given */
  origin: string;
  /** the absolute URL fetched */
  url: string;
  feed: FeedDocument;
  validators: Validators;
}

export interface FeedMessage {
  kind: 'ok' | 'error';
  text: string;
}

/** One feed the page tried: its latest outcome. */
export interface FeedStatus {
  /** DEFAULT_ORIGIN or the URL as given */
  origin: string;
  state: 'loading' | 'loaded' | 'refused';
  /** why it was refused */
  reason?: string;
}

export class FeedLibrary {
  /** raw: feeds are large and never edited in place */
  loaded = $state.raw<LoadedFeed[]>([]);
  message = $state<FeedMessage | null>(null);
  /** URLs being fetched, each once */
  pending = $state<string[]>([]);
  /** every feed tried, in the order first tried, with its latest outcome */
  statuses = $state<FeedStatus[]>([]);
  // The page's own GPU keeps its device id: a feed's device of that id is qualified instead.
  merged = $derived(mergeFeeds(this.loaded.map(({ origin, feed }) => ({ origin, feed })), [OWN_DEVICE_ID]));
  private readonly tried = new Set<string>();

  constructor(
    private readonly fetch: FetchLike,
    /** the default feed's absolute URL (relative to the page, so the site works from a sub-path) */
    private readonly defaultUrl: string,
  ) {}

  async loadDefault(): Promise<void> {
    await this.fetchInto(DEFAULT_ORIGIN, this.defaultUrl, (url) => fetchFeed(url, { fetch: this.fetch }));
  }

  /** Loads a remote feed; true when it is (or already was) loaded. */
  async load(url: string): Promise<boolean> {
    this.tried.add(url);
    if (this.loaded.some((f) => f.origin === url)) {
      this.message = { kind: 'ok', text: `${url} is already loaded.` };
      return true;
    }
    return this.fetchInto(url, url, (u) => fetchRemoteFeed(u, { fetch: this.fetch }));
  }

  /** Loads each URL not tried before (the experiment's feeds, from a link). */
  async loadNew(urls: readonly string[]): Promise<void> {
    await Promise.all([...new Set(urls)].filter((u) => !this.tried.has(u)).map((u) => this.load(u)));
  }

  /** Re-fetches every loaded feed with its validators; a 304 or a refusal keeps the data it had. */
  async refresh(): Promise<void> {
    const feeds = this.loaded;
    this.pending = feeds.map((f) => f.url);
    const outcomes = await Promise.all(feeds.map((f) => this.refetch(f)));
    this.pending = [];
    const updated = feeds.map((f, i) => {
      const o = outcomes[i];
      return o.kind === 'loaded' ? { ...f, feed: o.feed, validators: o.validators } : f;
    });
    this.loaded = this.loaded.map((f) => updated.find((u) => u.origin === f.origin) ?? f);
    const count = (kind: FetchFeedOutcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
    const refusals = outcomes.flatMap((o, i) => (o.kind === 'refused' ? [`${feeds[i].origin}: ${o.reason}`] : []));
    const summary = `Refreshed ${feeds.length} feed${feeds.length === 1 ? '' : 's'}: ${count('loaded')} reloaded, ${count('not-modified')} unchanged (304).`;
    this.message = refusals.length
      ? { kind: 'error', text: `${summary} Kept the earlier data of ${refusals.join('; ')}` }
      : { kind: 'ok', text: summary };
  }

  /** A conditional re-fetch; where a cross-origin server refuses the conditional headers, a plain one. */
  private async refetch(f: LoadedFeed): Promise<FetchFeedOutcome> {
    const get = (validators?: Validators) => fetchFeed(f.url, { fetch: this.fetch, ...(validators ? { validators } : {}) });
    const conditional = Object.keys(f.validators).length > 0;
    const first = await get(conditional ? f.validators : undefined);
    return conditional && first.kind === 'refused' && first.stage === 'network' ? get() : first;
  }

  private setStatus(status: FeedStatus) {
    const at = this.statuses.findIndex((s) => s.origin === status.origin);
    this.statuses = at < 0 ? [...this.statuses, status] : this.statuses.map((s, i) => (i === at ? status : s));
  }

  private async fetchInto(origin: string, url: string, get: (url: string) => Promise<FetchFeedOutcome>): Promise<boolean> {
    if (!this.pending.includes(url)) this.pending = [...this.pending, url];
    // A feed already loaded stays listed as loaded while it is fetched again.
    if (!this.loaded.some((f) => f.origin === origin)) this.setStatus({ origin, state: 'loading' });
    const outcome = await get(url);
    this.pending = this.pending.filter((u) => u !== url);
    const name = origin === DEFAULT_ORIGIN ? 'the default feed' : url;
    if (outcome.kind !== 'loaded') {
      const reason = outcome.kind === 'refused' ? outcome.reason : 'feed: the server answered 304 to a first request';
      this.message = { kind: 'error', text: `Refused ${name}: ${reason}` };
      if (!this.loaded.some((f) => f.origin === origin)) this.setStatus({ origin, state: 'refused', reason });
      return false;
    }
    this.setStatus({ origin, state: 'loaded' });
    const others = this.loaded.filter((f) => f.origin !== origin);
    const entry = { origin, url, feed: outcome.feed, validators: outcome.validators };
    // The default feed stays first whichever answers first, so its devices lead the tables.
    this.loaded = origin === DEFAULT_ORIGIN ? [entry, ...others] : [...others, entry];
    const { devices, results } = outcome.feed;
    this.message = { kind: 'ok', text: `Loaded ${name}: ${devices.length} device${devices.length === 1 ? '' : 's'}, ${results.length} result${results.length === 1 ? '' : 's'}.` };
    return true;
  }
}
