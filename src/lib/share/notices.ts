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

/** `text` with hidden characters shown as U+FFFD and cut to `max` characters. */
export function clipText(text: string, max = MAX_NOTICE_TEXT): string {
  const chars = Array.from(text.replace(HIDDEN_CHARS, '\uFFFD'));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

export function notice(param: string, value: string, message: string): LinkNotice {
  return { param: clipText(param), value: clipText(value), message };
}
