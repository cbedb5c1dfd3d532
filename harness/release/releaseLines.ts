/** The release a run judged by, in lines for people (console and HTML report). */
import type { TargetReleaseReport } from './releaseJudgement.ts';

export function releaseHeadline(report: TargetReleaseReport): string {
  const release = report.release === undefined ? 'unknown' : `${report.release}${report.gitVersion === undefined ? '' : ` (${report.gitVersion})`}`;
  const source = report.source === 'override' ? 'from --kubernetes-version' : report.source === 'detected' ? 'detected' : 'judged by the contract and what the target advertises';
  const judged = report.categories.length === 0 ? '' : `; ${report.categories.filter((c) => c.action === 'adapted').length} categories adapted, ${report.categories.filter((c) => c.action === 'skipped').length} skipped`;
  return `Kubernetes release: ${release}, ${source}${judged}`;
}

export function releaseLines(report: TargetReleaseReport): string[] {
  return [
    releaseHeadline(report),
    ...report.detection.map((line) => `  asked: ${line}`),
    ...report.capabilities.map((capability) => `  ${capability.row}: ${capability.behaviour} [${capability.basis}]`),
    ...report.categories.map((category) => `  ${category.action} ${category.category}: ${category.reason}`),
  ];
}
