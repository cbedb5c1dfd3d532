/**
 * Judging by the row that applies: from what is known of the target's release
 * (detectTargetRelease.ts) and the table of release differences, which categories keep the
 * contract's expectations, which are adapted (and how), and which are skipped, each with its
 * reason. The generators still label cases by the contract; adapting is the harness's
 * judgement, applied to every case of the category (run, shrink and replay alike).
 */
import type { CaseCategory } from '../../generators/categories.ts';
import type { ConformanceCase, StepExpectation } from '../../generators/case.ts';
import {
  formatRelease,
  kubernetesReleaseDifferences,
  releaseBoundaries,
  variantFor,
  type ReleaseDifferenceId,
} from '../../spec/kubernetesReleaseDifferences.ts';
import type { TargetReleaseFacts } from './detectTargetRelease.ts';

export interface CategoryJudgement {
  category: string;
  action: 'adapted' | 'skipped';
  reason: string;
  row: ReleaseDifferenceId;
}

export interface CapabilityRecord {
  row: ReleaseDifferenceId;
  behaviour: string;
  /** What the behaviour was decided from. */
  basis: string;
}

/** What the reports say about the release (plain data). */
export interface TargetReleaseReport {
  release?: string;
  gitVersion?: string;
  source: TargetReleaseFacts['releaseSource'];
  putQueryParameters?: string[];
  openApiDocument?: string;
  detection: string[];
  capabilities: CapabilityRecord[];
  categories: CategoryJudgement[];
}

export interface ReleaseJudgement {
  report: TargetReleaseReport;
  /** The categories to run: adapted ones wrap the original arbitrary. */
  categories: CaseCategory[];
  /** Skipped categories → reason. */
  skipped: Map<string, string>;
}

type FieldValidationSupport = { kind: 'honoured' | 'ignored' | 'gated' | 'contract'; basis: string };

function fieldValidationSupport(facts: TargetReleaseFacts): FieldValidationSupport {
  const minor = facts.release?.major === 1 ? facts.release.minor : undefined;
  const released = facts.release === undefined ? '' : `Kubernetes ${formatRelease(facts.release)} (${facts.releaseSource === 'override' ? '--kubernetes-version' : 'GET /version'})`;
  if (minor !== undefined && minor >= releaseBoundaries.fieldValidationAlpha && minor < releaseBoundaries.fieldValidationOnByDefault) {
    return { kind: 'gated', basis: released };
  }
  if (facts.putQueryParameters !== undefined) {
    const advertised = facts.putQueryParameters.includes('fieldValidation');
    return { kind: advertised ? 'honoured' : 'ignored', basis: `${facts.openApiDocument ?? 'OpenAPI'} ${advertised ? 'lists' : 'does not list'} fieldValidation for PUT endpoints` };
  }
  if (minor !== undefined) return { kind: minor < releaseBoundaries.fieldValidationAlpha ? 'ignored' : 'honoured', basis: released };
  return { kind: 'contract', basis: 'release and OpenAPI unknown: judged by the contract document' };
}

function adaptCategory(category: CaseCategory, adapt: (expect: StepExpectation) => StepExpectation): CaseCategory {
  const adaptCase = (generated: ConformanceCase): ConformanceCase => ({ ...generated, steps: generated.steps.map((step) => ({ ...step, expect: adapt(step.expect) })) });
  return { ...category, arbitrary: (contract) => category.arbitrary(contract).map(adaptCase) };
}

const acceptedAsValid = (why: string, echo: boolean) => (): StepExpectation => ({ status: [201], createsObject: true, echo, why });

export function judgeByRelease(facts: TargetReleaseFacts, categories: readonly CaseCategory[]): ReleaseJudgement {
  const judgements: CategoryJudgement[] = [];
  const adapters = new Map<string, (expect: StepExpectation) => StepExpectation>();
  const skipped = new Map<string, string>();
  const capabilities: CapabilityRecord[] = [];
  const minor = facts.release?.major === 1 ? facts.release.minor : undefined;
  const releaseBasis = facts.release === undefined ? '' : `Kubernetes ${formatRelease(facts.release)} (${facts.releaseSource === 'override' ? '--kubernetes-version' : 'GET /version'})`;
  const present = new Set(categories.map((category) => category.name));
  const adapt = (name: string, row: ReleaseDifferenceId, reason: string, adapter: (expect: StepExpectation) => StepExpectation): void => {
    if (!present.has(name)) return;
    adapters.set(name, adapter);
    judgements.push({ category: name, action: 'adapted', reason, row });
  };
  const skip = (name: string, row: ReleaseDifferenceId, reason: string): void => {
    if (!present.has(name)) return;
    skipped.set(name, reason);
    judgements.push({ category: name, action: 'skipped', reason, row });
  };

  // fieldValidation
  const support = fieldValidationSupport(facts);
  const fieldValidationBehaviour: Record<FieldValidationSupport['kind'], string> = {
    honoured: variantFor('field-validation', releaseBoundaries.fieldValidationOnByDefault).behaviour,
    ignored: variantFor('field-validation', releaseBoundaries.fieldValidationAlpha - 1).behaviour,
    gated: variantFor('field-validation', releaseBoundaries.fieldValidationAlpha).behaviour,
    contract: 'as the contract document says (fieldValidation honoured)',
  };
  capabilities.push({ row: 'field-validation', behaviour: fieldValidationBehaviour[support.kind], basis: support.basis });
  if (support.kind === 'ignored') {
    const why = `the target has no fieldValidation parameter (${support.basis}): it is ignored and unknown fields are dropped`;
    adapt('field-validation-invalid', 'field-validation', `${why}; expected 201 as for a valid request`, acceptedAsValid(why, true));
    adapt('unknown-field-strict', 'field-validation', `${why}; expected 201 with the unknown field dropped`, acceptedAsValid(why, false));
  } else if (support.kind === 'gated') {
    const why = `fieldValidation is alpha in ${support.basis} (gate ServerSideFieldValidation, off by default): whether it is honoured depends on the cluster`;
    skip('field-validation-invalid', 'field-validation', why);
    skip('unknown-field-strict', 'field-validation', why);
  }

  // IPv4 leading zeros
  if (minor === undefined) {
    capabilities.push({ row: 'ipv4-leading-zeros', behaviour: 'accepted (201) or rejected (422): either passes', basis: 'release unknown' });
  } else {
    const variant = variantFor('ipv4-leading-zeros', minor);
    capabilities.push({ row: 'ipv4-leading-zeros', behaviour: variant.behaviour, basis: releaseBasis });
    if (minor >= releaseBoundaries.ipParsedSloppily && minor < releaseBoundaries.strictIpValidation) {
      const why = `${releaseBasis} parses IPs with ParseIPSloppy: leading zeros and IPv4-mapped IPv6 are accepted`;
      adapt('ip-leading-zero', 'ipv4-leading-zeros', `${why}; expected 201 only`, (expect) => ({ status: [201], createsObject: true, why: `${why} (${expect.why ?? 'release-dependent'})` }));
    } else if (minor >= releaseBoundaries.strictIpValidation) {
      const why = `${releaseBasis} validates IPs strictly (StrictIPCIDRValidation)`;
      adapt('ip-leading-zero', 'ipv4-leading-zeros', `${why}; expected 422 only`, (expect) => ({ ...expect, status: [422], invalidInput: true, why }));
    }
  }

  // The rows that do not change any expectation: stated for the record.
  for (const row of kubernetesReleaseDifferences) {
    if (row.id === 'field-validation' || row.id === 'ipv4-leading-zeros') continue;
    const known = minor !== undefined || row.variants.length === 1;
    capabilities.push({
      row: row.id,
      behaviour: known ? variantFor(row.id, minor ?? 0).behaviour : row.variants.map((v) => v.behaviour).join(' | '),
      basis: row.variants.length === 1 ? 'every release' : known ? releaseBasis : 'release unknown',
    });
  }

  return {
    report: {
      ...(facts.release === undefined ? {} : { release: formatRelease(facts.release) }),
      ...(facts.gitVersion === undefined ? {} : { gitVersion: facts.gitVersion }),
      source: facts.releaseSource,
      ...(facts.putQueryParameters === undefined ? {} : { putQueryParameters: facts.putQueryParameters }),
      ...(facts.openApiDocument === undefined ? {} : { openApiDocument: facts.openApiDocument }),
      detection: facts.detection,
      capabilities,
      categories: judgements,
    },
    categories: categories.map((category) => {
      const adapter = adapters.get(category.name);
      return adapter === undefined ? category : adaptCategory(category, adapter);
    }),
    skipped,
  };
}
