/**
 * Which feed groups (device × implementation × dtype) the timing and roofline views draw for
 * the current layer and structure. Until the user picks, the defaults follow the layer
 * (defaultGroupIds); once they pick, their choice holds across layers.
 */
import type { MergedFeeds } from '../../lib/feed';
import type { DType, StructureSpec } from '../../lib/structures/types';
import { deviceMarks } from '../charts/marks';
import { layerResults, type LayerQuery } from './compare';
import { defaultGroupIds, drawnResults, feedGroups } from './feed-series';

export interface OverlaySubject {
  merged: MergedFeeds;
  query: LayerQuery;
  structure: StructureSpec;
  dtype: DType;
}

export class FeedOverlay {
  private readonly subject: () => OverlaySubject;
  /** group ids the user picked; null until they pick */
  picked = $state<string[] | null>(null);
  /** the layer's results a chart of the structure draws */
  // $derived.by: the subject is read when first needed, after the constructor has set it.
  drawn = $derived.by(() => {
    const { merged, query, structure } = this.subject();
    return drawnResults(layerResults(merged.results, query), structure);
  });
  groups = $derived.by(() => feedGroups(this.subject().merged.devices, this.drawn));
  chosenIds = $derived.by(() => this.picked ?? defaultGroupIds(this.groups, this.subject().dtype));
  chosen = $derived(this.groups.filter((g) => this.chosenIds.includes(g.id)));
  marks = $derived.by(() => deviceMarks(this.subject().merged.devices.map((d) => d.id)));

  constructor(subject: () => OverlaySubject) {
    this.subject = subject;
  }

  toggle(id: string, on: boolean): void {
    const ids = this.chosenIds.filter((g) => g !== id);
    this.picked = on ? [...ids, id] : ids;
  }
}
