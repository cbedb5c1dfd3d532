/**
 * index.html: the page a vendor hands over and a reviewer reads first. One self-contained file,
 * no script and no fetch: the first screen holds the verdict in words, the facts of the run
 * (target, when, how long, seed, harness, contract hash, command), a picture of the results (per
 * check and per category group, as CSS bars), coverage and the run's real phases. Below: each
 * failing check opened on its first counterexamples (request and response side by side, expected
 * versus actual with the difference marked, the shrunk case, curl, replay), the coverage grid
 * (contract fields × valid/invalid exercised, documented statuses elicited or why not) and the
 * categories. The full test-by-test log is mochawesome.html beside it.
 */
import { releaseHeadline } from '../release/releaseLines.ts';
import { curlCommand } from './curlCommand.ts';
import type { CoverageGrid } from './coverageGrid.ts';
import { escapeHtml, formatCount, formatDuration } from './htmlText.ts';
import { comparisonSection } from '../compare/comparisonOverview.ts';
import { checkBars, groupBars, phaseNames } from './resultsPicture.ts';
import type { Bar } from './resultsPicture.ts';
import type { StatusElicitation } from './statusElicitation.ts';
import { textDifference } from './textDifference.ts';
import type { TextPart } from './textDifference.ts';
import type { CategoryCheckResult, CategoryResult, ExchangeRecord, FailureRecord, RunPhases, RunResult, ShrinkRecord } from '../run/runResult.ts';

export interface OverviewInputs {
  result: RunResult;
  coverage: CoverageGrid;
  statuses: StatusElicitation[];
  replayCommand: (caseId: string) => string;
  /** File name of the mochawesome report beside this page. */
  detailedReport: string;
  /** Counterexamples shown per failing check (one per failing category, first categories first). */
  counterexamplesPerCheck?: number;
  /** With --compare-with: the command that replays a case id on the comparison target. */
  comparisonReplayCommand?: (caseId: string) => string;
}

interface VerdictWords {
  word: string;
  headline: string;
  tone: 'pass' | 'fail' | 'error' | 'known';
}

/** The verdict in words; `error` (a run that could not judge its target) is shown as such. */
export function verdictWords(result: RunResult): VerdictWords {
  const verdict: string = result.verdict;
  if (verdict === 'pass') return { word: 'PASS', headline: 'The target conforms to the contract', tone: 'pass' };
  if (verdict === 'fail') {
    if (result.baseline?.gate === 'pass') {
      return { word: 'KNOWN', headline: 'Does not conform, only known failures: the CI gate passes', tone: 'known' };
    }
    return { word: 'FAIL', headline: 'The target does not conform to the contract', tone: 'fail' };
  }
  return { word: verdict.toUpperCase(), headline: 'The run could not judge the target', tone: 'error' };
}

function plural(count: number, word: string, many = `${word}s`): string {
  return `${formatCount(count)} ${count === 1 ? word : many}`;
}

function verdictDetail(result: RunResult): string {
  // an error verdict: why, and what was not run (the checks' counts would say nothing)
  if (result.error !== undefined) return `${result.error.reason}. ${result.error.notRun}.`;
  const failedChecks = result.checks.filter((check) => check.failed > 0);
  const failingCategories = result.categories.filter((category) => category.failed > 0);
  const totals = result.totals;
  const parts: string[] = [];
  if (failedChecks.length > 0) {
    parts.push(`${failedChecks.length} of ${result.checks.length} checks failed, in ${plural(failingCategories.length, 'category', 'categories')}.`);
  } else {
    const applied = result.checks.filter((check) => check.applicable > 0).length;
    parts.push(`All ${applied} applicable checks passed${applied < result.checks.length ? ` (${result.checks.length - applied} did not apply)` : ''}.`);
  }
  parts.push(
    `${plural(totals.cases, 'case')} (${formatCount(totals.failed)} failed, ${formatCount(totals.skipped)} skipped, ${formatCount(totals.notRun)} not run), ${plural(totals.requests, 'request')}.`,
  );
  if (result.stoppedEarly !== undefined) parts.push(result.stoppedEarly + '.');
  if (result.preflight !== undefined) parts.push(`Preflight: ${result.preflight.reason}; ${result.preflight.consequence}.`);
  return parts.join(' ');
}

function factRows(result: RunResult, inputs: OverviewInputs): Array<[string, string]> {
  const rows: Array<[string, string]> = [['target', escapeHtml(result.target)]];
  for (const [label, value] of targetDetails(result)) rows.push([label, escapeHtml(value)]);
  const started = new Date(result.startedAt);
  const when = Number.isNaN(started.getTime()) ? result.startedAt : `${started.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
  rows.push(['started', escapeHtml(when)]);
  // the phases add up to the wall time from the process start to the reports; durationMs starts later
  const phases = result.phases;
  const took = phases === undefined ? result.durationMs : Object.values(phases).reduce((sum, ms) => sum + ms, 0);
  rows.push(['took', escapeHtml(formatDuration(took))]);
  rows.push(['seed', `<code>${result.seed}</code> <span class="muted">(rerun: <code>--seed ${result.seed}</code>)</span>`]);
  rows.push(['run id', `<code>${escapeHtml(result.runId)}</code>`]);
  rows.push(['harness', `endpoints-conformance ${escapeHtml(result.harnessVersion)}`]);
  rows.push(['contract', `<code title="SHA-256 of spec/endpoints-replace.openapi.yaml">sha256 ${escapeHtml(result.specSha256.slice(0, 16))}…</code>`]);
  if (result.command !== undefined) rows.push(['command', `<code class="command">${escapeHtml(result.command)}</code>`]);
  const options = result.options;
  const settings = [`--runs ${options.runs}`, `--concurrency ${options.concurrency}`, `--timeout ${options.timeoutMs}`];
  if (options.dryRunOnly) settings.push('--dry-run-only');
  if (options.rateLimit !== undefined) settings.push(`--rate-limit ${options.rateLimit}`);
  if (options.faults.length > 0) settings.push(`faults: ${options.faults.join(', ')}`);
  rows.push(['settings', escapeHtml(settings.join(' · '))]);
  rows.push(['cleanup', escapeHtml(cleanupLine(result))]);
  rows.push(['reports', `this page · <a href="${escapeHtml(inputs.detailedReport)}">every test (mochawesome)</a> · <a href="junit.xml">junit.xml</a> · <a href="summary.json">summary.json</a>`]);
  return rows;
}

/** What the run learned about the target beyond its URL: the Kubernetes release it was judged
 * by, how that was found, and each category adapted or skipped for it. */
function targetDetails(result: RunResult): Array<[string, string]> {
  const release = result.targetRelease;
  if (release === undefined) return [];
  return [
    ['kubernetes', releaseHeadline(release)],
    ['asked', release.detection.join(' · ')],
    ...release.categories.map((judged): [string, string] => [judged.action, `${judged.category}: ${judged.reason}`]),
  ];
}

function cleanupLine(result: RunResult): string {
  const cleanup = result.cleanup;
  const problems = cleanup.failed.length + cleanup.leftOver.length;
  if (problems === 0 && cleanup.verified) return `${plural(cleanup.deleted.length, 'object')} deleted, nothing left (verified)`;
  return `incomplete: ${problems} object(s) left or not deleted${cleanup.verified ? '' : ', not verified'}`;
}

function barHtml(bar: Bar, scale: number, nameClass = ''): string {
  const segments = bar.segments
    .map((segment) => `<span class="seg ${segment.kind}" style="width:${((segment.count / scale) * 100).toFixed(2)}%" title="${escapeHtml(segment.label)}"></span>`)
    .join('');
  return `<div class="bar-row"><span class="bar-name ${nameClass}">${escapeHtml(bar.name)}</span><span class="bar" role="img" aria-label="${escapeHtml(`${bar.name}: ${bar.summary}`)}">${segments}</span><span class="bar-summary">${escapeHtml(bar.summary)}</span></div>`;
}

function legend(kinds: Array<[string, string]>): string {
  return `<div class="legend">${kinds.map(([kind, label]) => `<span><i class="seg ${kind}"></i>${escapeHtml(label)}</span>`).join('')}</div>`;
}

function checksPicture(result: RunResult): string {
  const bars = checkBars(result);
  const scale = Math.max(1, ...bars.map((bar) => bar.total));
  const kinds: Array<[string, string]> = [['passed', 'passed'], ['failed', 'failed']];
  if (result.baseline !== undefined) kinds.push(['known', 'known (baseline)']);
  kinds.push(['upstream', 'upstream behaviour'], ['na', 'not applicable']);
  return `<section class="panel" id="picture-checks"><h2>Checks <span class="muted">· categories per check</span></h2>${bars
    .map((bar) => barHtml(bar, scale, 'mono'))
    .join('')}${legend(kinds)}</section>`;
}

function groupsPicture(result: RunResult): string {
  const bars = groupBars(result);
  const kinds: Array<[string, string]> = [['passed', 'passed'], ['failed', 'failed']];
  if (result.baseline !== undefined) kinds.push(['known', 'known']);
  kinds.push(['skipped', 'skipped'], ['notrun', 'not run']);
  return `<h2>Category groups <span class="muted">· cases (group · categories)</span></h2>${bars.map((bar) => barHtml(bar, Math.max(1, bar.total))).join('')}${legend(kinds)}`;
}

function coverageSummary(inputs: OverviewInputs): string {
  const grid = inputs.coverage;
  const total = Math.max(1, grid.rows.length);
  const fieldBar = (name: string, count: number): string =>
    barHtml(
      { name, summary: `${count} of ${grid.rows.length} fields`, total, segments: [{ kind: 'passed', count, label: `${count} exercised` }, { kind: 'na', count: grid.rows.length - count, label: `${grid.rows.length - count} not exercised` }] },
      total,
    );
  const documented = inputs.statuses.filter((status) => status.documented);
  const chips = documented
    .map((status) => {
      const kind = status.count > 0 ? 'seen' : status.outsideReach === true ? 'unreachable' : 'unseen';
      const title = status.count > 0 ? `${status.count} answers` : status.why ?? 'not seen';
      return `<span class="chip ${kind}" title="${escapeHtml(title)}">${status.status}</span>`;
    })
    .join('');
  const seen = documented.filter((status) => status.count > 0).length;
  const unreachable = documented.filter((status) => status.count === 0 && status.outsideReach === true).length;
  return `<h2>Coverage <span class="muted">· <a href="#coverage">grid</a></span></h2>${fieldBar('valid values', grid.validCount)}${fieldBar('invalid values', grid.invalidCount)}<div class="chips">${chips}</div><p class="small muted">${seen} of ${documented.length} documented status codes elicited; ${unreachable} cannot be caused from outside (grey), see <a href="#statuses">why</a>.</p>`;
}

function phasesPicture(phases: RunPhases | undefined): string {
  if (phases === undefined) return '';
  const entries = (Object.keys(phaseNames) as Array<keyof RunPhases>).map((key) => [key, phases[key]] as const).filter(([, ms]) => ms > 0);
  const total = Math.max(1, entries.reduce((sum, [, ms]) => sum + ms, 0));
  const segments = entries
    .map(([key, ms], index) => `<span class="seg phase${index % 7}" style="width:${((ms / total) * 100).toFixed(2)}%" title="${escapeHtml(`${phaseNames[key]}: ${formatDuration(ms)}`)}"></span>`)
    .join('');
  const labels = entries.map(([key, ms], index) => `<span><i class="seg phase${index % 7}"></i>${escapeHtml(phaseNames[key])} ${escapeHtml(formatDuration(ms))}</span>`).join('');
  return `<h2>Where the time went</h2><div class="bar wide" role="img" aria-label="run phases">${segments}</div><div class="legend">${labels}</div>`;
}

function baselineBox(result: RunResult): string {
  const baseline = result.baseline;
  if (baseline === undefined) return '';
  const lines = [
    `<p><b>Baseline</b> <code>${escapeHtml(baseline.file)}</code>: CI gate <b class="${baseline.gate}">${baseline.gate === 'pass' ? 'passes' : 'fails'}</b> — ${escapeHtml(baseline.gateReason)}.</p>`,
  ];
  const list = (title: string, items: string[]): void => {
    if (items.length > 0) lines.push(`<p class="small"><b>${escapeHtml(title)}</b>: ${items.map(escapeHtml).join('; ')}</p>`);
  };
  list('new failures', baseline.new.map((pair) => `${pair.check} in ${pair.category}`));
  list('known failures (accepted)', baseline.known.map((pair) => `${pair.check} in ${pair.category}`));
  list('fixed since the baseline (passed in this run; remove them from it)', baseline.fixed.map((entry) => entry.what));
  list('known failures this run could not tell about', baseline.notExercised.map((entry) => `${entry.what} (${entry.why})`));
  return `<div class="baseline ${baseline.gate}">${lines.join('')}</div>`;
}

/** Expected against actual, the difference marked. An actual that goes on to explain itself
 * ("…; missing […]; unexpected […]") is compared by its first part, the observed value. */
function expectedActualHtml(expected: string, actual: string): { expected: string; actual: string } {
  const cut = actual.indexOf('; ');
  const head = cut < 0 ? actual : actual.slice(0, cut);
  const difference = textDifference(expected, head);
  return { expected: partsHtml(difference.expected), actual: partsHtml(difference.actual) + escapeHtml(actual.slice(head.length)) };
}

function partsHtml(parts: TextPart[]): string {
  return parts.map((part) => (part.differs ? `<mark>${escapeHtml(part.text)}</mark>` : escapeHtml(part.text))).join('');
}

function prettyBody(body: string | undefined): string {
  if (body === undefined || body === '') return '';
  const cap = 6000;
  let text = body;
  try {
    text = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // not JSON: as sent
  }
  return text.length > cap ? `${text.slice(0, cap)}\n… (${formatCount(text.length - cap)} more characters)` : text;
}

function requestText(exchange: ExchangeRecord): string {
  const request = exchange.request;
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
  const body = prettyBody(request.body);
  return [`${request.method} ${request.url}`, ...headers, ...(body === '' ? [] : ['', body + (request.bodyCut === true ? '\n… (cut for the report)' : '')])].join('\n');
}

function responseText(exchange: ExchangeRecord): string {
  if (exchange.response === undefined) return exchange.failure === undefined ? '(no answer)' : `no answer: ${exchange.failure.kind}: ${exchange.failure.message}`;
  const response = exchange.response;
  const headers = Object.entries(response.headers).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
  const body = prettyBody(response.body);
  return [`HTTP ${response.status}  (${formatDuration(response.durationMs)})`, ...headers, ...(body === '' ? [] : ['', body + (response.bodyCut ? '\n… (cut)' : '')])].join('\n');
}

function exchangeHtml(exchange: ExchangeRecord, failingStep: number): string {
  const marker = exchange.step === failingStep ? ' failing' : '';
  return `<div class="exchange${marker}"><div><h4>request · step ${exchange.step}${exchange.step === failingStep ? ' (judged here)' : ''}</h4><pre>${escapeHtml(requestText(exchange))}</pre></div><div><h4>response</h4><pre>${escapeHtml(responseText(exchange))}</pre></div></div>`;
}

function counterexampleHtml(failure: FailureRecord, shrink: ShrinkRecord | undefined, inputs: OverviewInputs, known: boolean): string {
  const difference = expectedActualHtml(failure.expected, failure.actual);
  const failingExchange = failure.exchanges.find((exchange) => exchange.step === failure.step);
  const earlier = failure.exchanges.filter((exchange) => exchange.step !== failure.step);
  const parts = [
    `<h3><span class="badge ${known ? 'known' : 'failed'}">${known ? 'known' : 'new'}</span> ${escapeHtml(failure.category)} <span class="muted">· case</span> <code>${escapeHtml(failure.caseId)}</code></h3>`,
    `<p>${escapeHtml(failure.description)}</p>`,
    `<div class="expected-actual"><div><h4>expected</h4><p>${difference.expected}</p></div><div><h4>actual</h4><p>${difference.actual}</p></div></div>`,
  ];
  if (failingExchange !== undefined) parts.push(exchangeHtml(failingExchange, failure.step));
  if (earlier.length > 0) {
    parts.push(`<details><summary>${plural(earlier.length, 'other step')} of this case</summary>${earlier.map((exchange) => exchangeHtml(exchange, failure.step)).join('')}</details>`);
  }
  if (shrink?.shrunk !== undefined) {
    const shrunk = shrink.shrunk;
    const shrunkDifference = expectedActualHtml(shrunk.expected, shrunk.actual);
    const shrunkExchange = shrunk.exchanges.find((exchange) => exchange.step === shrunk.step);
    parts.push(
      `<div class="shrunk"><h4>shrunk counterexample <code>${escapeHtml(shrunk.caseId)}</code> <span class="muted">(${plural(shrunk.numShrinks, 'shrink')}${shrink.note === undefined ? '' : `; ${escapeHtml(shrink.note)}`})</span></h4><p>${escapeHtml(shrunk.description)}</p><p class="small">expected ${shrunkDifference.expected}; got ${shrunkDifference.actual}</p>${shrunkExchange === undefined ? '' : exchangeHtml(shrunkExchange, shrunk.step)}<h4>replay the shrunk case</h4><pre class="command">${escapeHtml(inputs.replayCommand(shrunk.caseId))}</pre></div>`,
    );
  } else if (shrink !== undefined) {
    parts.push(`<p class="small muted">shrinking: ${escapeHtml(shrink.note ?? 'no smaller failing case found')}</p>`);
  }
  parts.push(
    `<h4>curl <span class="muted">(set CONFORMANCE_TOKEN first)</span></h4><pre class="command">${escapeHtml(failure.exchanges.map(curlCommand).join('\n\n'))}</pre>`,
    `<h4>replay with the harness</h4><pre class="command">${escapeHtml(inputs.replayCommand(failure.caseId))}</pre>`,
    `<p class="small muted">fast-check seed ${failure.seed}, path ${escapeHtml(failure.path)}</p>`,
  );
  return `<div class="counterexample">${parts.join('')}</div>`;
}

function failuresSection(result: RunResult, inputs: OverviewInputs): string {
  const failing = result.checks.filter((check) => check.failed > 0);
  if (failing.length === 0) return '';
  const knownPairs = new Set((result.baseline?.known ?? []).map((pair) => `${pair.check} ${pair.category}`));
  const perCheck = inputs.counterexamplesPerCheck ?? 3;
  const blocks = failing.map((check) => {
    const pairs: Array<{ category: CategoryResult; judged: CategoryCheckResult }> = [];
    for (const category of result.categories) {
      const judged = category.checks.find((item) => item.check === check.name);
      if (judged !== undefined && judged.failed > 0) pairs.push({ category, judged });
    }
    const allKnown = pairs.every(({ category }) => knownPairs.has(`${check.name} ${category.name}`));
    const where = pairs.map(({ category, judged }) => {
      const known = knownPairs.has(`${check.name} ${category.name}`);
      return `<li>${escapeHtml(category.name)}: ${judged.failed} of ${judged.applicable} failed${known ? ' <span class="badge known">known</span>' : ''}</li>`;
    });
    // new failures first: they are what the reader must look at
    const ordered = [...pairs].sort((a, b) => Number(knownPairs.has(`${check.name} ${a.category.name}`)) - Number(knownPairs.has(`${check.name} ${b.category.name}`)));
    const examples = ordered.slice(0, perCheck).flatMap(({ category, judged }) => {
      const first = judged.failures[0];
      if (first === undefined) return [];
      const shrink = result.shrinks.find((item) => item.check === check.name && item.originalCaseId === first.caseId);
      return [counterexampleHtml(first, shrink, inputs, knownPairs.has(`${check.name} ${category.name}`))];
    });
    const more = pairs.length > perCheck ? `<p class="small muted">${pairs.length - perCheck} more failing categories: their cases are in <a href="${escapeHtml(inputs.detailedReport)}">the full report</a>.</p>` : '';
    return `<details class="failing-check" id="failing-${escapeHtml(check.name)}"${allKnown ? '' : ' open'}><summary><span class="badge ${allKnown ? 'known' : 'failed'}">${allKnown ? 'known' : 'failed'}</span> <b class="mono">${escapeHtml(check.name)}</b> — ${formatCount(check.failed)} of ${formatCount(check.applicable)} exchanges failed <span class="muted">· ${escapeHtml(check.description)}</span></summary><ul class="where">${where.join('')}</ul>${examples.join('')}${more}</details>`;
  });
  return `<section id="failures"><h2>Failing checks and their first counterexamples</h2>${blocks.join('')}</section>`;
}

function coverageSection(inputs: OverviewInputs): string {
  const mark = (yes: boolean): string => (yes ? '<td class="yes">✔</td>' : '<td class="no">—</td>');
  const rows = inputs.coverage.rows.map((row) => `<tr><td class="mono">${escapeHtml(row.field)}</td>${mark(row.valid)}${mark(row.invalid)}</tr>`).join('');
  const outside =
    inputs.coverage.outsideContract.length > 0
      ? `<p class="small">Also sent, and not fields of the contract (unknown or miscased fields, other headers, methods, bodies — on purpose): <span class="mono">${inputs.coverage.outsideContract.map(escapeHtml).join(', ')}</span></p>`
      : '';
  const statusRows = inputs.statuses
    .map((status) => {
      const seen = status.count > 0 ? `${formatCount(status.count)}` : '—';
      const note = status.count > 0 ? (status.documented ? '' : 'not documented by the contract') : escapeHtml(status.why ?? '');
      const kind = status.count > 0 ? 'yes' : status.outsideReach === true ? 'grey' : 'no';
      return `<tr><td class="mono">${status.status}</td><td>${status.documented ? 'yes' : 'no'}</td><td class="${kind}">${seen}</td><td>${note}</td></tr>`;
    })
    .join('');
  return `<section id="coverage"><h2>Coverage of the contract</h2><div class="two-columns"><div><h3>Fields × values exercised <span class="muted">(${inputs.coverage.validCount} valid, ${inputs.coverage.invalidCount} invalid of ${inputs.coverage.rows.length})</span></h3><table class="grid"><thead><tr><th>contract field</th><th>valid</th><th>invalid</th></tr></thead><tbody>${rows}</tbody></table>${outside}</div><div id="statuses"><h3>Status codes</h3><table class="grid"><thead><tr><th>status</th><th>documented</th><th>answers</th><th>why not seen</th></tr></thead><tbody>${statusRows}</tbody></table></div></div></section>`;
}

function categoriesSection(result: RunResult): string {
  const rows = result.categories
    .map((category) => {
      const failing = category.checks.filter((check) => check.failed > 0).map((check) => check.check);
      const skipped = Object.entries(category.skipReasons).map(([reason, count]) => `${count}: ${reason}`).join('; ');
      const state = category.failed > 0 ? 'failed' : category.notRun > 0 ? 'notrun' : category.cases === 0 ? 'skipped' : 'passed';
      return `<tr class="${state}"><td class="mono">${escapeHtml(category.name)}</td><td>${escapeHtml(category.group)}</td><td>${category.cases}</td><td>${category.failed}</td><td>${category.skipped}${skipped === '' ? '' : ` <span class="small muted">(${escapeHtml(skipped)})</span>`}</td><td>${category.notRun}</td><td class="mono small">${escapeHtml(failing.join(', '))}</td><td class="small">${escapeHtml(category.description)}</td></tr>`;
    })
    .join('');
  return `<section id="categories"><h2>Categories</h2><table class="grid"><thead><tr><th>category</th><th>group</th><th>cases</th><th>failed</th><th>skipped</th><th>not run</th><th>failing checks</th><th>what it sends</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function notesSection(result: RunResult): string {
  const items = [
    ...result.notes.map((note) => `<li>${escapeHtml(note)}</li>`),
    ...result.upstreamBehaviour.slice(0, 10).map((item) => `<li>upstream behaviour: ${escapeHtml(item.category)} / ${escapeHtml(item.check)} (<code>${escapeHtml(item.caseId)}</code>): ${escapeHtml(item.note)}</li>`),
  ];
  return items.length === 0 ? '' : `<section id="notes"><h2>Notes</h2><ul>${items.join('')}</ul></section>`;
}

const style = `
:root{--pass:#1a7f37;--fail:#cf222e;--known:#9a6700;--error:#8250df;--na:#d8dee4;--skip:#afb8c1;--notrun:#57606a;--up:#54aeff;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#f6f8fa}
a{color:#0969da}code,.mono,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
.muted{color:var(--muted);font-weight:normal}.small{font-size:12px}
header.verdict{display:flex;align-items:center;gap:20px;padding:14px 24px;color:#fff}
header.pass{background:var(--pass)}header.fail{background:var(--fail)}header.known{background:var(--known)}header.error{background:var(--error)}
.verdict-word{font-size:34px;font-weight:800;letter-spacing:1px;border:3px solid #fff;border-radius:8px;padding:2px 14px}
header h1{margin:0;font-size:22px}header p{margin:2px 0 0;opacity:.95}
.first{display:grid;grid-template-columns:minmax(280px,.9fr) minmax(420px,1.45fr) minmax(330px,1fr);gap:14px;padding:14px 24px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:0}
.panel h2{font-size:14px;margin:4px 0 8px}.panel h2+*{margin-top:0}
dl.facts{display:grid;grid-template-columns:minmax(0,max-content) minmax(0,1fr);gap:3px 10px;margin:0}dl.facts dt{color:var(--muted);max-width:8em}dl.facts dd{margin:0;overflow-wrap:anywhere}
code.command{display:block;white-space:pre-wrap;background:#f6f8fa;padding:3px 5px;border-radius:4px}
.bar-row{display:grid;grid-template-columns:minmax(0,210px) 1fr max-content;align-items:center;gap:8px;margin:2px 0;font-size:12px}
#picture-checks .bar-row{grid-template-columns:226px 1fr 126px}#picture-groups .bar-row{grid-template-columns:112px 1fr 126px}
.bar-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.bar-summary{color:var(--muted);white-space:nowrap}
.bar{display:flex;height:13px;border-radius:3px;overflow:hidden;background:var(--na)}.bar.wide{height:16px;margin:4px 0}
.seg{display:block;height:100%;min-width:3px}i.seg{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.seg.passed{background:var(--pass)}.seg.failed{background:var(--fail)}.seg.known{background:#d4a72c}.seg.upstream{background:var(--up)}.seg.na{background:var(--na)}.seg.skipped{background:var(--skip)}.seg.notrun{background:var(--notrun)}
.seg.phase0{background:#0969da}.seg.phase1{background:#8250df}.seg.phase2{background:#1a7f37}.seg.phase3{background:#bf3989}.seg.phase4{background:#bc4c00}.seg.phase5{background:#4d2d00}.seg.phase6{background:#57606a}
.legend{display:flex;flex-wrap:wrap;gap:4px 12px;margin:6px 0 2px;font-size:12px;color:var(--muted)}
.chips{display:flex;flex-wrap:wrap;gap:4px;margin:8px 0 2px}.chip{font:12px ui-monospace,monospace;padding:1px 6px;border-radius:10px;border:1px solid}
.chip.seen{background:#dafbe1;border-color:var(--pass);color:#116329}.chip.unseen{background:#fff8c5;border-color:#d4a72c;color:#7d4e00}.chip.unreachable{background:#eaeef2;border-color:var(--skip);color:var(--muted)}
.baseline{margin-top:8px;padding:6px 10px;border-radius:6px;border:1px solid var(--line);background:#fff}.baseline b.pass{color:var(--pass)}.baseline b.fail{color:var(--fail)}.baseline p{margin:2px 0}
section#failures,section#coverage,section#categories,section#notes{margin:0 24px 16px;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px}
section h2{font-size:17px;margin:6px 0 10px}
details.failing-check{border-top:1px solid var(--line);padding:8px 0}details.failing-check>summary{cursor:pointer;font-size:14px}
.badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;padding:0 6px;border-radius:4px;color:#fff;vertical-align:1px}.badge.failed{background:var(--fail)}.badge.known{background:var(--known)}
ul.where{margin:6px 0;columns:2;font-size:12px}
.counterexample{border-left:4px solid var(--fail);margin:10px 0 14px;padding:2px 0 2px 12px}.counterexample h3{font-size:14px;margin:6px 0}.counterexample h4{font-size:12px;margin:8px 0 3px;color:var(--muted)}
.expected-actual,.exchange,.two-columns{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.expected-actual p{margin:0;padding:6px 8px;background:#f6f8fa;border-radius:4px;font-family:ui-monospace,monospace;font-size:12px;overflow-wrap:anywhere}
mark{background:#ffd8b5;color:#000;border-radius:2px;padding:0 1px}
pre{margin:0;padding:8px;background:#f6f8fa;border:1px solid var(--line);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:360px;overflow:auto}
.exchange.failing pre{border-color:#ff818266}pre.command{max-height:200px}
.shrunk{background:#fbfbfd;border:1px dashed var(--line);border-radius:6px;padding:4px 10px;margin-top:8px}
table.grid{border-collapse:collapse;width:100%;font-size:12px}table.grid th,table.grid td{border-bottom:1px solid #eaeef2;padding:2px 6px;text-align:left;vertical-align:top}
td.yes{color:var(--pass);font-weight:700}td.no{color:var(--fail)}td.grey{color:var(--muted)}
tr.failed td:first-child{border-left:3px solid var(--fail)}tr.notrun td:first-child{border-left:3px solid var(--notrun)}tr.skipped td:first-child{border-left:3px solid var(--skip)}
footer{margin:0 24px 24px;color:var(--muted);font-size:12px}
@media (max-width:1100px){.first{grid-template-columns:1fr}.expected-actual,.exchange,.two-columns{grid-template-columns:1fr}}
`;

export function overviewPage(inputs: OverviewInputs): string {
  const result = inputs.result;
  const words = verdictWords(result);
  const facts = factRows(result, inputs)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`)
    .join('');
  const totals = escapeHtml(JSON.stringify(result.totals));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="conformance-verdict" content="${escapeHtml(result.verdict)}"><meta name="conformance-totals" content="${totals}"><meta name="conformance-run-id" content="${escapeHtml(result.runId)}">
<title>${escapeHtml(words.word)} · Endpoints PUT conformance · ${escapeHtml(result.target)}</title><style>${style}</style></head>
<body>
<header class="verdict ${words.tone}" id="verdict"><div class="verdict-word">${escapeHtml(words.word)}</div><div><h1>${escapeHtml(words.headline)}</h1><p>${escapeHtml(verdictDetail(result))}</p></div></header>
<div class="first">
<section class="panel" id="facts"><h2>The run</h2><dl class="facts">${facts}</dl>${baselineBox(result)}</section>
${checksPicture(result)}
<section class="panel" id="picture-groups">${groupsPicture(result)}${coverageSummary(inputs)}${phasesPicture(result.phases)}</section>
</div>
${failuresSection(result, inputs)}
${result.comparison === undefined ? '' : comparisonSection(result.comparison, { replayCommand: inputs.replayCommand, ...(inputs.comparisonReplayCommand === undefined ? {} : { comparisonReplayCommand: inputs.comparisonReplayCommand }) })}
${coverageSection(inputs)}
${categoriesSection(result)}
${notesSection(result)}
<footer>Endpoints PUT conformance (PUT /api/v1/namespaces/{namespace}/endpoints/{name}) · endpoints-conformance ${escapeHtml(result.harnessVersion)} · contract sha256 <code>${escapeHtml(result.specSha256)}</code> · every test in <a href="${escapeHtml(inputs.detailedReport)}">${escapeHtml(inputs.detailedReport)}</a></footer>
</body></html>
`;
}
