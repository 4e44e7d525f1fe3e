/**
 * Progress of a long upload in the log, as people expect from twine's progress bar but fit for a CI
 * log: nothing for an upload done within a few seconds, then a line (bytes, rate, time left) at most
 * every 10 s.
 */
import { formatMegabytes as megabytes, formatPace, type Logger } from '@conveyor/core';

/** The first line comes once the upload has run this long... */
const FIRST_LINE_AFTER_MS = 5_000;
/** ...and the next ones at least this far apart. */
const LINE_INTERVAL_MS = 10_000;

export class UploadProgress {
  private readonly startedAt: number;
  private lastLineAt?: number;

  constructor(
    private readonly fileName: string,
    private readonly totalBytes: number,
    private readonly logger: Logger,
    /** The clock (injectable for tests). */
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Called as bytes leave; logs a line when one is due. */
  sent(bytes: number): void {
    const now = this.now();
    const elapsedMs = now - this.startedAt;
    if (bytes >= this.totalBytes || elapsedMs < FIRST_LINE_AFTER_MS) return;
    if (this.lastLineAt !== undefined && now - this.lastLineAt < LINE_INTERVAL_MS) return;
    this.lastLineAt = now;
    const pace = bytes > 0 ? formatPace(bytes, this.totalBytes, elapsedMs) : 'nothing sent yet';
    this.logger.info(
      `Uploading ${this.fileName}: ${megabytes(bytes)} of ${megabytes(this.totalBytes)} MB (${Math.floor((bytes / this.totalBytes) * 100)}%), ${pace}`,
    );
  }
}
