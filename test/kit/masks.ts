/** What an in-process call registers with the runner's masker: the `::add-mask::` lines it prints. */
import { jest } from '@jest/globals';

export interface MaskedCall<T> {
  value?: T;
  /** The message of what `fn` threw. */
  error?: string;
  /** The masked values, in the order they were registered. */
  masks: string[];
}

/** Runs `fn` with stdout captured (nothing reaches the test's output) and returns its masks and outcome. */
export function withMasksCaptured<T>(fn: () => T): MaskedCall<T> {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  });
  const call: MaskedCall<T> = { masks: [] };
  try {
    call.value = fn();
  } catch (error) {
    call.error = error instanceof Error ? error.message : String(error);
  } finally {
    spy.mockRestore();
  }
  call.masks = writes
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));
  return call;
}
