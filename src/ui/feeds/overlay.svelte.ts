/**
 * Which feed groups (device × implementation × dtype) the timing and roofline views draw for
 * the current layer and structure. The choice is the experiment's `drawn` (so a link keeps
 * it); until the user picks, it is null and the defaults follow the layer (defaultGroupIds).
 */
import type { MergedFeeds } from '../../lib/feed';
import type { DType, StructureSpec } from '../../lib/structures/types';
import { deviceMarks } from '../charts/marks';
import { layerResults, type LayerQuery } from './compare';
import { defaultGroupIds, drawnResults, feedGroups } from './feed-series';

/** What the overlay follows; read through getters, so each derived value tracks only what it reads. */
export interface OverlaySubject {
  readonly merged: MergedFeeds;
  readonly query: LayerQuery;
  readonly structure: StructureSpec;
  readonly dtype: DType;
  /** the experiment's choice; null for the defaults */
  readonly drawn: string[] | null;
}

export class FeedOverlay {
  private readonly subject: OverlaySubject;
  private readonly choose: (groups: string[] | null) => void;
  // $derived.by: the subject is read when first needed, after the constructor has set it.
  /** the layer's results a chart of the structure draws */
  results = $derived.by(() => {
    const { merged, query, structure } = this.subject;
    return drawnResults(layerResults(merged.results, query), structure);
  });
  groups = $derived.by(() => feedGroups(this.subject.merged.devices, this.results));
  chosenIds = $derived.by(() => this.subject.drawn ?? defaultGroupIds(this.groups, this.subject.dtype));
  chosen = $derived(this.groups.filter((g) => this.chosenIds.includes(g.id)));
  marks = $derived.by(() => deviceMarks(this.subject.merged.devices.map((d) => d.id)));

  /** whether the user has chosen (else the defaults are drawn) */
  chosenByUser = $derived.by(() => this.subject.drawn !== null);

  /** `choose` stores a new choice in the experiment (null: back to the defaults). */
  constructor(subject: OverlaySubject, choose: (groups: string[] | null) => void) {
    this.subject = subject;
    this.choose = choose;
  }

  toggle(id: string, on: boolean): void {
    const ids = this.chosenIds.filter((g) => g !== id);
    this.choose(on ? [...ids, id] : ids);
  }

  reset(): void {
    this.choose(null);
  }
}
