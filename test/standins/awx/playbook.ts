/**
 * A playbook run as AWX records it, from the output lines a test scripts: the job events (one per
 * chunk of lines, typed as AWX's callback types them) and the PLAY RECAP with its per-host counts,
 * which are also the job's host summaries. The recap is computed from the results shown, never
 * scripted, so the output, the events and the host summaries always agree.
 * Formats follow Ansible's default callback (ansible/plugins/callback/default.py, utils/display.py
 * banner, utils/color.py colorize/hostcolor, as Debian's ansible ships them) and AWX's event model
 * (awx/main/models/events.py: EVENT_TYPES, host summaries from the playbook_on_stats event data).
 */

/** Ansible's counters per host, named as in the stats event's data and AWX's host summaries. */
export interface HostStats {
  ok: number;
  changed: number;
  failures: number;
  dark: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export interface PlaybookEvent {
  /** AWX's event type: playbook_on_start, playbook_on_play_start, runner_on_ok, playbook_on_stats, … */
  event: string;
  stdout: string;
  host?: string;
  play: string;
  task: string;
  changed: boolean;
  failed: boolean;
  /** The stats event carries every host's counters. */
  stats?: Record<string, HostStats>;
}

/** AWX's display name of each event type this model produces (EVENT_TYPES). */
export const EVENT_DISPLAY: Record<string, string> = {
  playbook_on_start: 'Playbook Started',
  playbook_on_play_start: 'Play Started',
  playbook_on_task_start: 'Task Started',
  runner_on_ok: 'Host OK',
  runner_on_failed: 'Host Failed',
  runner_on_skipped: 'Host Skipped',
  runner_on_unreachable: 'Host Unreachable',
  playbook_on_stats: 'Playbook Complete',
  verbose: 'Verbose',
};

/** Ansible's banner width without a terminal (its 80 columns, less one). */
const COLUMNS = 79;
const BANNER = /^(PLAY|TASK) \[(.*)\]\s*\**\s*$/;
const RESULT = /^(ok|changed|skipping|fatal|failed): \[([^\]]+)\]/;

/** `TASK [name] *****…`, as Ansible's Display.banner draws it: stars to the width, at least three. */
export function banner(text: string): string {
  return `${text} ${'*'.repeat(Math.max(3, COLUMNS - text.length))}`;
}

/** One recap line, as the default callback prints it without colour. */
export function recapLine(host: string, stats: HostStats): string {
  const field = (name: string, value: number) => `${name}=${String(value).padEnd(4)}`;
  const fields = [
    field('ok', stats.ok),
    field('changed', stats.changed),
    field('unreachable', stats.dark),
    field('failed', stats.failures),
    field('skipped', stats.skipped),
    field('rescued', stats.rescued),
    field('ignored', stats.ignored),
  ];
  return `${host.padEnd(26)} : ${fields.join(' ')}`;
}

/**
 * The events of a run whose output is `lines`: a banner line (`PLAY [x]`, `TASK [x]`, stars
 * optional) is an event of its own, drawn as Ansible draws it after a blank line; the lines between
 * banners make events of up to `perEvent` lines (1 unless a test packs bulk output). A result line (`ok: [host]`, `changed: [host]`, `skipping: [host]`, `fatal: [host]: FAILED! …`,
 * `fatal: [host]: UNREACHABLE! …`) counts for its host. `finished` adds the recap, as a playbook that
 * ran to its end has (one stopped by an error or a cancel has none).
 */
export function playbookRun(lines: readonly string[], perEvent: number, finished: boolean): PlaybookEvent[] {
  if (lines.some((line) => line.startsWith('PLAY RECAP'))) {
    throw new Error('A job script must not write its PLAY RECAP: the stand-in writes it from the results shown');
  }
  const stats = new Map<string, HostStats>();
  let play = '';
  let task = '';
  const events: PlaybookEvent[] = [{ event: 'playbook_on_start', stdout: '', play, task, changed: false, failed: false }];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    const result = chunk.map((line) => count(stats, line))[0];
    const failed = result?.event === 'runner_on_failed' || result?.event === 'runner_on_unreachable';
    events.push({
      event: result?.event ?? 'verbose',
      stdout: chunk.join('\n'),
      host: result?.host,
      play,
      task,
      changed: result?.changed ?? false,
      failed,
    });
    chunk = [];
  };
  for (const line of lines) {
    const heading = BANNER.exec(line);
    if (heading) {
      flush();
      const [, kind, name = ''] = heading;
      if (kind === 'PLAY') play = name;
      else task = name;
      const event = kind === 'PLAY' ? 'playbook_on_play_start' : 'playbook_on_task_start';
      events.push({ event, stdout: `\n${banner(`${kind} [${name}]`)}`, play, task, changed: false, failed: false });
      continue;
    }
    chunk.push(line);
    if (chunk.length >= perEvent) flush();
  }
  flush();
  if (finished) {
    const hosts = [...stats.keys()].sort();
    const recap = ['', banner('PLAY RECAP'), ...hosts.map((host) => recapLine(host, stats.get(host) as HostStats)), ''].join('\n');
    events.push({
      event: 'playbook_on_stats',
      stdout: recap,
      play,
      task,
      changed: hosts.some((host) => stats.get(host)?.changed),
      failed: hosts.some((host) => stats.get(host)?.failures || stats.get(host)?.dark),
      stats: Object.fromEntries(hosts.map((host) => [host, stats.get(host) as HostStats])),
    });
  }
  return events;
}

/** Whether `lines` show a task failing on some host (a failed job's output does). */
export function showsFailure(lines: readonly string[]): boolean {
  return lines.some((line) => /^(fatal|failed): \[/.test(line));
}

/** Counts a result line for its host; returns its event type, host and whether it changed anything. */
function count(stats: Map<string, HostStats>, line: string): { event: string; host: string; changed: boolean } | undefined {
  const match = RESULT.exec(line);
  if (!match) return undefined;
  const [, status, host = ''] = match;
  const entry = stats.get(host) ?? { ok: 0, changed: 0, failures: 0, dark: 0, skipped: 0, rescued: 0, ignored: 0 };
  stats.set(host, entry);
  switch (status) {
    case 'ok':
    case 'changed':
      // Ansible counts a changed result as ok too.
      entry.ok++;
      if (status === 'changed') entry.changed++;
      return { event: 'runner_on_ok', host, changed: status === 'changed' };
    case 'skipping':
      entry.skipped++;
      return { event: 'runner_on_skipped', host, changed: false };
    default:
      if (line.includes('UNREACHABLE!')) {
        entry.dark++;
        return { event: 'runner_on_unreachable', host, changed: false };
      }
      entry.failures++;
      return { event: 'runner_on_failed', host, changed: false };
  }
}
