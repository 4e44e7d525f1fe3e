/**
 * Which tag is the newest, and which release came before another. The scheme orders tags by version
 * or by day; tags of one day whose IDs do not order (short shas) are ordered by their commits' dates,
 * looked up only for the tags that need it.
 */
import { compareSlots, compareWithinSlot, type ParsedTag } from './schemes';

/** The commit date (ms since the epoch) of the commit a tag points at. */
export type CommitTime = (tag: ParsedTag) => Promise<number>;

/** Sorts tags of one slot, oldest first. */
async function sortSlot(slot: ParsedTag[], commitTime: CommitTime): Promise<ParsedTag[]> {
  const byName = (a: ParsedTag, b: ParsedTag) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const decided = slot.every((a) => slot.every((b) => a === b || compareWithinSlot(a, b) !== undefined));
  if (decided) return [...slot].sort((a, b) => (compareWithinSlot(a, b) as number) || byName(a, b));
  const times = new Map(await Promise.all(slot.map(async (tag) => [tag.name, await commitTime(tag)] as const)));
  return [...slot].sort((a, b) => (times.get(a.name) as number) - (times.get(b.name) as number) || byName(a, b));
}

/** The newest of `tags`, or undefined when there are none. */
export async function newestTag(tags: readonly ParsedTag[], commitTime: CommitTime): Promise<ParsedTag | undefined> {
  const top = tags.reduce<ParsedTag | undefined>((best, tag) => (!best || compareSlots(tag, best) > 0 ? tag : best), undefined);
  if (!top) return undefined;
  return (
    await sortSlot(
      tags.filter((tag) => compareSlots(tag, top) === 0),
      commitTime,
    )
  ).at(-1);
}

/** The newest of `tags` older than `target` (which need not be among them). */
export async function previousTag(tags: readonly ParsedTag[], target: ParsedTag, commitTime: CommitTime): Promise<ParsedTag | undefined> {
  const others = tags.filter((tag) => tag.name !== target.name);
  const sameSlot = others.filter((tag) => compareSlots(tag, target) === 0);
  if (sameSlot.length > 0) {
    const sorted = await sortSlot([...sameSlot, target], commitTime);
    const index = sorted.findIndex((tag) => tag.name === target.name);
    if (index > 0) return sorted[index - 1];
  }
  return newestTag(
    others.filter((tag) => compareSlots(tag, target) < 0),
    commitTime,
  );
}
