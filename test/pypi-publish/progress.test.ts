import { UploadProgress } from '../../actions/pypi-publish/src/progress';
import { recordingLogger } from '../kit/logger';

describe('upload progress', () => {
  const MB = 1e6;

  test('nothing for the first 5 s, then a line (bytes, rate, time left) at most every 10 s, none at the end', () => {
    let now = 1_000_000;
    const logger = recordingLogger();
    const progress = new UploadProgress('views3-1.0-py3-none-any.whl', 200 * MB, logger, () => now);
    const at = (seconds: number, megabytes: number) => {
      now = 1_000_000 + seconds * 1000;
      progress.sent(megabytes * MB);
    };
    at(1, 10);
    at(4.9, 40);
    at(5, 50);
    at(6, 60);
    at(14.9, 149);
    at(15, 150);
    at(19.9, 199);
    at(25, 200);
    expect(logger.lines).toEqual([
      'Uploading views3-1.0-py3-none-any.whl: 50.0 of 200.0 MB (25%), 10.0 MB/s, about 15s left',
      'Uploading views3-1.0-py3-none-any.whl: 150.0 of 200.0 MB (75%), 10.0 MB/s, about 5s left',
    ]);
  });

  test('a slow start: nothing sent yet, then a rate in kB/s', () => {
    let now = 0;
    const logger = recordingLogger();
    const progress = new UploadProgress('a.tar.gz', 5 * MB, logger, () => now);
    now = 7_000;
    progress.sent(0);
    now = 80_000;
    progress.sent(1.5 * MB);
    expect(logger.lines).toEqual([
      'Uploading a.tar.gz: 0.0 of 5.0 MB (0%), nothing sent yet',
      'Uploading a.tar.gz: 1.5 of 5.0 MB (30%), 19 kB/s, about 3m7s left',
    ]);
  });
});
