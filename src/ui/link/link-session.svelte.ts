/**
 * The page's link: opens the experiment a link describes, keeps the address bar and title on
 * the current experiment, and attaches this session's measurements on "Share with results".
 */
import { PRESETS } from '../../lib/presets';
import { decodeExperiment, encodeExperiment } from '../../lib/share/codec';
import type { LinkNotice } from '../../lib/share/notices';
import { encodeSnapshot, RESULTS_KEY, type Snapshot } from '../../lib/share/snapshot';
import type { Playground } from '../store.svelte';
import { deviceName, measuredPoints } from './shared-points';
import { experimentTitle } from './title';

// Controls fire many changes in a row (typing a number); browsers throttle frequent replaceState calls.
const ADDRESS_DELAY_MS = 300;

export type ShareOutcome = { ok: true; url: string } | { ok: false; message: string };

export class LinkSession {
  /** what the opened link got wrong, until dismissed */
  notices = $state<LinkNotice[]>([]);
  /** results the opened link carried */
  snapshot = $state<Snapshot | null>(null);
  /** the `results` value in the address and the experiment it was shared with */
  private attached = $state<{ value: string; query: string } | null>(null);

  /** the experiment as a query, without results */
  readonly plainQuery: string;
  /** what the address bar shows: the experiment, and results while the experiment is the one they were shared with */
  readonly query: string;
  readonly title: string;

  constructor(private readonly store: Playground) {
    this.plainQuery = $derived(encodeExperiment(store.experiment));
    this.query = $derived(this.attached ? encodeExperiment(store.experiment, { results: this.attached.value }) : this.plainQuery);
    this.title = $derived(experimentTitle(store.experiment, PRESETS));
  }

  /** Shows the experiment of `search` (a page address's query); never throws. */
  open(search: string) {
    const params = new URLSearchParams(search);
    // The codec resolves the link with the same resolver the controls use: nothing to repair after it.
    const decoded = decodeExperiment(params, { presets: PRESETS, caps: this.store.capabilities });
    this.store.showResolved(decoded.state);
    // A bare address is no link: nothing to report (the codec would note the missing version).
    this.notices = params.toString() === '' ? [] : decoded.notices;
    this.snapshot = decoded.snapshot;
    const results = params.get(RESULTS_KEY);
    this.attached = decoded.snapshot && results !== null ? { value: results, query: this.plainQuery } : null;
  }

  dismissNotices() {
    this.notices = [];
  }

  /** The page address for the current link, from the page's own address (so any sub-path works). */
  urlFrom(href: string): string {
    return new URL(`?${this.query}`, href).href;
  }

  /** Attaches this session's measurements to the link. */
  shareWithResults(href: string): ShareOutcome {
    const gpu = this.store.gpu;
    const points = measuredPoints(this.store.timings);
    if (gpu.state !== 'ready' || points.length === 0) return { ok: false, message: 'Nothing measured on this GPU yet: run one point or a sweep first.' };
    try {
      this.attached = { value: encodeSnapshot(points, deviceName(gpu.summary)), query: this.plainQuery };
      return { ok: true, url: this.urlFrom(href) };
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Keeps `win`'s address bar and title on the experiment and re-opens the link on history moves; returns the stop function. */
  follow(win: Window): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reopen = () => this.open(win.location.search);
    win.addEventListener('popstate', reopen);
    const stop = $effect.root(() => {
      $effect(() => {
        // Results belong to the experiment they were measured for: a change drops them for good.
        if (this.attached && this.attached.query !== this.plainQuery) this.attached = null;
      });
      $effect(() => {
        win.document.title = this.title;
      });
      $effect(() => {
        const search = `?${this.query}`;
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (win.location.search !== search) win.history.replaceState(win.history.state, '', search + win.location.hash);
        }, ADDRESS_DELAY_MS);
      });
    });
    return () => {
      stop();
      clearTimeout(timer);
      win.removeEventListener('popstate', reopen);
    };
  }
}
