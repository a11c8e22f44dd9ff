/**
 * A blr-feed/1 document built one result at a time, as `blr bench` measures them: each result
 * is checked alone when it is added and, with a file, the file is rewritten with it, so that a
 * sweep stopped early keeps what it measured; the whole document is checked once, at the end.
 * Each result is serialised once, so a sweep of n points costs n checks, not n² of them.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { checkFeedDevice, checkFeedResult, FEED_SCHEMA_VERSION, parseFeed, type FeedDevice, type FeedResult } from '../lib/feed';

export class FeedWriter {
  readonly #pieces: string[] = [];

  /**
   * `out`: the file rewritten after every result (none: the document is only returned by
   * finish); `now`: the `generated` time of each writing.
   */
  constructor(
    private readonly device: FeedDevice,
    private readonly generator: string,
    private readonly out?: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    const refused = checkFeedDevice(device, 0);
    if (refused) throw new Error(`the feed would be invalid: ${refused}`);
  }

  get count(): number {
    return this.#pieces.length;
  }

  /** Adds `result`, or throws with the schema's reason and leaves the feed as it was. */
  add(result: FeedResult): void {
    const index = this.#pieces.length;
    const refused =
      checkFeedResult(result, index) ??
      (result.device === this.device.id ? null : `results[${index}].device: "${result.device}" is not this feed's device "${this.device.id}"`);
    if (refused) throw new Error(`the feed would be invalid: ${refused}`);
    // As JSON.stringify(document, null, 1) lays out an element of results: two levels in.
    this.#pieces.push(JSON.stringify(result, null, 1).replace(/^/gm, '  '));
    if (this.out) this.#write(this.text());
  }

  /** The document as it stands, laid out as JSON.stringify(document, null, 1) would. */
  text(): string {
    const head = JSON.stringify({ schema: FEED_SCHEMA_VERSION, generated: this.now().toISOString(), generator: this.generator, devices: [this.device] }, null, 1);
    const results = this.#pieces.length ? `[\n${this.#pieces.join(',\n')}\n ]` : '[]';
    return `${head.slice(0, -2)},\n "results": ${results}\n}\n`;
  }

  /** The whole document, checked once by the feed loader, and written to the file if there is one. */
  finish(): string {
    const text = this.text();
    const check = parseFeed(text);
    if (!check.ok) throw new Error(`bench produced an invalid feed: ${check.error}`);
    if (this.out) this.#write(text);
    return text;
  }

  /** Replaces the file whole (written beside it, then renamed), so a reader never sees half a feed. */
  #write(text: string): void {
    writeFileSync(`${this.out}.partial`, text);
    renameSync(`${this.out}.partial`, this.out!);
  }
}
