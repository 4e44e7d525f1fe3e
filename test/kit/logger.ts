/** A Logger for in-process tests: records every line by level. */
import type { Logger } from '@conveyor/core';

export interface RecordingLogger extends Logger {
  lines: string[];
  warnings: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const warnings: string[] = [];
  return {
    lines,
    warnings,
    debug: () => undefined,
    info: (message) => void lines.push(message),
    warning: (message) => {
      warnings.push(message);
      lines.push(message);
    },
    error: (message) => void lines.push(message),
    group: (_name, fn) => fn(),
    untrusted: (text) => void lines.push(text),
  };
}
