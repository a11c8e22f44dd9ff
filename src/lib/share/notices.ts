/** What a link got wrong, reported to the person who opened it. */

/**
 * One problem with a link: the parameter, the value it carried and what was done about it.
 * `param` and `value` come from the link: they are plain text, clipped, and must be shown as
 * text (never through an HTML sink such as `{@html}` or `innerHTML`).
 */
export interface LinkNotice {
  param: string;
  value: string;
  message: string;
}

export const MAX_NOTICE_TEXT = 80;

// Control characters and invisible or direction-changing marks that could disguise a value.
const HIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Spaces of any width: in a value they would be invisible, or read as nothing (a '+' in a query is one).
const SPACES = /[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
/** How a value's spaces are shown. */
export const VISIBLE_SPACE = '\u2423';

/** `text` with hidden characters shown as U+FFFD and cut to `max` characters. */
export function clipText(text: string, max = MAX_NOTICE_TEXT): string {
  // At most 2 UTF-16 units a character: what lies past 2·max units is cut anyway.
  const chars = Array.from(text.slice(0, 2 * max + 2).replace(HIDDEN_CHARS, '\uFFFD'));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** A value from a link as a notice shows it: spaces as ␣, hidden characters as U+FFFD; several values joined by ' | '. */
export function visibleValue(value: string | readonly string[]): string {
  const values = typeof value === 'string' ? [value] : value;
  let joined = '';
  for (const v of values) {
    joined += (joined ? ' | ' : '') + v.slice(0, 2 * MAX_NOTICE_TEXT + 2).replace(SPACES, VISIBLE_SPACE);
    if (joined.length > 2 * MAX_NOTICE_TEXT) break;
  }
  return clipText(joined);
}

export function notice(param: string, value: string | readonly string[], message: string): LinkNotice {
  return { param: clipText(param.replace(SPACES, VISIBLE_SPACE)), value: visibleValue(value), message };
}
