// "Did you mean ...?" for a mistyped command, flag, tool or editor (issue 10): the nearest known
// word by edit distance (leven), or the one known word the typed one begins.
import { closestMatch } from 'leven';

/** The known word `word` most likely meant, or undefined when none is close enough to suggest. */
export function closest(word: string, known: readonly string[]): string | undefined {
  if (word === '') return undefined;
  const lower = word.toLowerCase();
  const byCase = known.find((k) => k.toLowerCase() === lower);
  if (byCase) return byCase;
  const extending = known.filter((k) => k.toLowerCase().startsWith(lower));
  if (extending.length === 1) return extending[0];
  // Two edits always (a swapped pair is two), more for long words: `--no-auht` -> `--no-auth`.
  const match = closestMatch(lower, known.map((k) => k.toLowerCase()), { maxDistance: Math.max(2, Math.floor(word.length / 3)) });
  return match === undefined ? undefined : known.find((k) => k.toLowerCase() === match);
}

/** ` Did you mean "x"?`, or '' when nothing is close. */
export function didYouMean(word: string, known: readonly string[], quote = (k: string) => `"${k}"`): string {
  const match = closest(word, known);
  return match === undefined ? '' : ` Did you mean ${quote(match)}?`;
}
