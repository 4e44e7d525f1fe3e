/** The last lines of a job's output (pure): kept while streaming, shown when the job fails. */

// eslint-disable-next-line no-control-regex -- ANSI colour sequences are control characters
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Keeps the last `size` lines, without ANSI colours (they are for the log, not the summary). */
export class OutputTail {
  private readonly lines: string[] = [];

  constructor(private readonly size = 30) {}

  /** Adds text (one or more lines). */
  push(text: string): void {
    for (const line of text
      .replace(ANSI, '')
      .replace(/\r?\n$/, '')
      .split(/\r?\n/)) {
      this.lines.push(line);
      if (this.lines.length > this.size) this.lines.shift();
    }
  }

  get isEmpty(): boolean {
    return this.lines.length === 0;
  }

  text(): string {
    return this.lines.join('\n');
  }
}
