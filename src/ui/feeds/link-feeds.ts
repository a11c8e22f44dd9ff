import { decodeExperiment } from '../../lib/share/codec';

/** The feed URLs a page address carries (`?feed=<url>`, repeated), those the link codec accepts. */
export function feedUrlsInLink(search: string): string[] {
  return decodeExperiment(search).state.feeds;
}
