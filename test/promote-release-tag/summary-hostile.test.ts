// Outside text in promote-release-tag's summary: tag names (a candidate tag is any tag someone
// pushed), the steps and what was in place (they name tags and asset file names), the failure (an
// API error message).
import { SummaryBuilder } from '@conveyor/core';
import type { Inputs } from '../../actions/promote-release-tag/src/inputs';
import { writeSummary } from '../../actions/promote-release-tag/src/report';
import { describeHostileValues } from '../kit/summary-safety';

function summaryWith(value: string): string {
  const inputs = {
    mode: 'promote',
    dryRun: false,
    owner: 'cybozu-go',
    repo: 'neco',
    serverUrl: 'https://github.com',
  } as Partial<Inputs> as Inputs;
  const summary = new SummaryBuilder();
  writeSummary(
    summary,
    {
      tag: value,
      sourceTag: value,
      previousTag: value,
      sha: '0123456789abcdef0123456789abcdef01234567',
      release: {
        id: 5,
        tagName: value,
        name: value,
        draft: false,
        prerelease: true,
        htmlUrl: 'https://github.com/cybozu-go/neco/releases/tag/x',
        uploadUrl: '',
        assets: [],
      },
      steps: [`create tag ${value}`, `upload asset ${value}`],
      unchanged: [`release ${value} exists`],
    },
    inputs,
    value,
  );
  return summary.toMarkdown();
}

describeHostileValues(summaryWith);
