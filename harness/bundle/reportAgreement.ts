/** Whether a run's reports say the same thing: the verdict and the totals as each report states
 * them (summary.json's fields; index.html's meta tags; junit.xml's and mochawesome.html's verdict
 * suite and "totals:" test). Read from the files as written, so a report edited after the run
 * (or made by another run) stands out. */
import { totalsFromTitle } from '../../suites/conformanceSuite.ts';
import type { RunResult } from '../run/runResult.ts';

type Totals = RunResult['totals'];

export interface ReportStatement {
  report: string;
  verdict?: string;
  totals?: Totals;
  /** Why it could not be read. */
  problem?: string;
}

export interface ReportTexts {
  summary: string;
  overview: string;
  junit: string;
  mochawesome: string;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replace(/&amp;/g, '&');
}

/** "verdict: the target conforms" → pass; the words the verdict suite uses. */
function verdictFromSuiteTitle(title: string): string | undefined {
  const match = /^verdict: (.*)$/.exec(title);
  if (match === null) return undefined;
  const words = match[1];
  if (words === 'the target conforms') return 'pass';
  if (words === 'the target does not conform') return 'fail';
  return /error|could not/i.test(words) ? 'error' : words;
}

function fromSummary(text: string): ReportStatement {
  try {
    const summary = JSON.parse(text) as { verdict?: unknown; totals?: Totals };
    return { report: 'summary.json', verdict: String(summary.verdict), ...(summary.totals === undefined ? {} : { totals: summary.totals }) };
  } catch {
    return { report: 'summary.json', problem: 'not JSON' };
  }
}

function fromOverview(text: string): ReportStatement {
  const verdict = /<meta name="conformance-verdict" content="([^"]*)">/.exec(text)?.[1];
  const totals = /<meta name="conformance-totals" content="([^"]*)">/.exec(text)?.[1];
  if (verdict === undefined || totals === undefined) return { report: 'index.html', problem: 'no verdict or totals in it' };
  try {
    return { report: 'index.html', verdict: unescapeXml(verdict), totals: JSON.parse(unescapeXml(totals)) as Totals };
  } catch {
    return { report: 'index.html', problem: 'its totals are not JSON' };
  }
}

function fromJunit(text: string): ReportStatement {
  const classes = [...text.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((match) => ({ suite: unescapeXml(match[1]), name: unescapeXml(match[2]) }));
  const verdict = classes.map((item) => verdictFromSuiteTitle(item.suite)).find((value) => value !== undefined);
  const totals = classes.map((item) => totalsFromTitle(item.name)).find((value) => value !== undefined);
  if (verdict === undefined || totals === undefined) return { report: 'junit.xml', problem: 'no verdict suite or totals test in it' };
  return { report: 'junit.xml', verdict, totals };
}

interface MochawesomeSuite {
  title?: string;
  tests?: Array<{ title?: string }>;
  suites?: MochawesomeSuite[];
}

function fromMochawesome(text: string): ReportStatement {
  const raw = /data-raw="([^"]*)"/.exec(text)?.[1];
  if (raw === undefined) return { report: 'mochawesome.html', problem: 'no report data in it' };
  let root: MochawesomeSuite;
  try {
    root = (JSON.parse(unescapeXml(raw)) as { results?: MochawesomeSuite[] }).results?.[0] ?? {};
  } catch {
    return { report: 'mochawesome.html', problem: 'its report data is not JSON' };
  }
  let verdict: string | undefined;
  let totals: Totals | undefined;
  const visit = (suite: MochawesomeSuite): void => {
    verdict ??= verdictFromSuiteTitle(suite.title ?? '');
    for (const test of suite.tests ?? []) totals ??= totalsFromTitle(test.title ?? '');
    for (const child of suite.suites ?? []) visit(child);
  };
  visit(root);
  if (verdict === undefined || totals === undefined) return { report: 'mochawesome.html', problem: 'no verdict suite or totals test in it' };
  return { report: 'mochawesome.html', verdict, totals };
}

export function reportStatements(texts: ReportTexts): ReportStatement[] {
  return [fromSummary(texts.summary), fromOverview(texts.overview), fromJunit(texts.junit), fromMochawesome(texts.mochawesome)];
}

const totalKeys: Array<keyof Totals> = ['cases', 'requests', 'failed', 'skipped', 'notRun'];

function sameTotals(a: Totals | undefined, b: Totals | undefined): boolean {
  return a !== undefined && b !== undefined && totalKeys.every((key) => a[key] === b[key]);
}

/** One line per disagreement with summary.json (or per report that could not be read). */
export function reportDisagreements(statements: readonly ReportStatement[]): string[] {
  const problems = statements.filter((statement) => statement.problem !== undefined).map((statement) => `${statement.report}: ${statement.problem}`);
  const reference = statements[0];
  if (reference === undefined || reference.problem !== undefined) return problems;
  for (const statement of statements.slice(1)) {
    if (statement.problem !== undefined) continue;
    if (statement.verdict !== reference.verdict) problems.push(`${statement.report} says verdict ${statement.verdict}, ${reference.report} says ${reference.verdict}`);
    if (!sameTotals(statement.totals, reference.totals)) {
      problems.push(`${statement.report} has totals ${JSON.stringify(statement.totals)}, ${reference.report} has ${JSON.stringify(reference.totals)}`);
    }
  }
  return problems;
}
