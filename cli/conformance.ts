/**
 * endpoints-conformance: fires generated valid and invalid "replace Endpoints" requests at a
 * target (or at the embedded reference server), judges the answers with named checks, and
 * writes index.html, junit.xml and summary.json.
 * Exit codes: 0 the target conforms, 1 it does not, 2 the run could not be made or finished
 * (verdict error; the reports are written all the same).
 */
import { parseKubernetesRelease } from '../spec/kubernetesReleaseDifferences.ts';
import { Command, InvalidArgumentError, Option } from 'commander';
import { caseCategories } from '../generators/categories.ts';
import { checkRegistry } from '../harness/checks/registry.ts';
import { closingLines, progressLine, verdictTable } from '../harness/report/consoleReport.ts';
import { writeCrashLog } from '../harness/report/crashLog.ts';
import { watchStopSignals } from './stopSignals.ts';
import type { StopSignals } from './stopSignals.ts';
import { curlCommand } from '../harness/report/curlCommand.ts';
import { comparisonConsoleLines } from '../harness/compare/comparisonReport.ts';
import { comparisonReplayFlags, resolveComparisonTarget, wantsComparison } from '../harness/compare/resolveComparisonTarget.ts';
import type { ComparisonFlags } from '../harness/compare/resolveComparisonTarget.ts';
import { openTarget } from '../harness/run/openTarget.ts';
import type { OpenedTarget, TargetFlags } from '../harness/run/openTarget.ts';
import type { ReplayReport } from '../harness/run/replayOne.ts';
import { generatesOnWorkerByDefault, runDefaults } from '../harness/run/runDefaults.ts';
import type { RunProgress } from '../harness/run/runConformance.ts';
import { resolveSelection, splitNameList } from '../harness/run/selection.ts';
import { createRedactor } from '../harness/secrets/redact.ts';
import { faultCatalogue } from '../reference-server/faults.ts';
import { finishVendorOutputs, prepareVendorOutputs } from './vendorOutputs.ts';
import type { VendorFlags } from './vendorOutputs.ts';
import { writeRunResultFile } from '../harness/report/runResultFile.ts';
import { parseShard, shardCategories } from '../harness/run/shardSelection.ts';
import { readFile } from 'node:fs/promises';
import { sonobuoyResultsDir, writeSonobuoyDone, writeSonobuoyFailure } from '../harness/report/sonobuoyResults.ts';
import { loadContract } from '../spec/loadContract.ts';

interface CommandLineOptions extends ComparisonFlags {
  target?: string;
  namespace?: string;
  tokenFile?: string;
  readonlyTokenFile?: string;
  authScheme?: 'x-auth-token' | 'bearer';
  caFile?: string;
  insecure?: boolean;
  kubeconfig?: string;
  context?: string;
  execTimeout: number;
  dryRunOnly?: boolean;
  seed?: number;
  runs: number;
  only?: string;
  skip?: string;
  concurrency: number;
  timeout: number;
  rateLimit?: number;
  reportDir: string;
  fault: string[];
  listFaults?: boolean;
  listCategories?: boolean;
  listChecks?: boolean;
  replay?: string;
  bundle?: string;
  product?: string;
  baseline?: string;
  baselineUpdate?: boolean;
  inCluster?: boolean;
  serviceAccountDir?: string;
  shard?: string;
  exitZero?: boolean;
  sonobuoy?: boolean;
  resultsConfigmap?: string;
  kubernetesVersion?: string;
}

/** A failure that ends the command with exit 2 and one line on stderr. */
class UsageFailure extends Error {}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError('must be a positive integer');
  }
  return Number(value);
}

function kubernetesVersionValue(value: string): string {
  if (parseKubernetesRelease(value) === undefined) throw new InvalidArgumentError('must be a Kubernetes release like 1.20');
  return value;
}

function seedValue(value: string): number {
  const seed = Number(value);
  if (!/^-?\d+$/.test(value) || seed < -(2 ** 31) || seed > 2 ** 31 - 1) {
    throw new InvalidArgumentError('must be an integer between -2147483648 and 2147483647');
  }
  return seed;
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number');
  return number;
}

function buildProgram(): Command {
  const program = new Command('endpoints-conformance')
    .description(
      'Contract-conformance test of PUT /api/v1/namespaces/{namespace}/endpoints/{name} ("replace Endpoints").\n' +
        'Without --target (or --kubeconfig/--context) the run goes against the embedded reference server.',
    )
    .option('--target <url>', 'base URL of the server under test (http or https; may carry a path prefix)')
    .option('--namespace <ns>', 'namespace the run writes to (required with --target; must exist)')
    .option('--token-file <file>', 'file holding the token (else env CONFORMANCE_TOKEN, else the kubeconfig user)')
    .option('--readonly-token-file <file>', 'file holding a token that may read but not write (enables auth-readonly cases)')
    .addOption(new Option('--auth-scheme <scheme>', 'how the token is sent: x-auth-token (the vendor page\'s header; default for --token-file and CONFORMANCE_TOKEN) or bearer (Authorization: Bearer; default for a kubeconfig token)').choices(['x-auth-token', 'bearer']))
    .option('--ca-file <file>', 'PEM CA bundle to trust for https targets')
    .option('--insecure', 'skip TLS certificate verification (explicit opt-in)')
    .option('--kubeconfig <file>', 'take server, CA, credentials (token, client certificate, exec plugin, oidc) and namespace from this kubeconfig (KUBECONFIG, merged as kubectl merges it, is used with --context)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--exec-timeout <ms>', 'stop a kubeconfig exec credential plugin that has not finished after this long', positiveInteger, 30_000)
    .option('--dry-run-only', 'store nothing: add dryRun=All to every PUT; cases needing a stored object are skipped')
    .option('--seed <n>', 'run seed (default: random, printed); the same seed fires the same cases', seedValue)
    .option('--runs <n>', 'cases generated per category', positiveInteger, runDefaults.runs)
    .option('--only <list>', 'comma-separated category and/or check names to run/judge exclusively')
    .option('--skip <list>', 'comma-separated category and/or check names to leave out')
    .option('--concurrency <n>', 'cases in flight at once (the steps of one case stay in order)', positiveInteger, runDefaults.concurrency)
    .option('--timeout <ms>', 'per request, for the whole response (headers and body)', positiveInteger, runDefaults.timeoutMs)
    .option('--rate-limit <n>', 'at most N requests per second (default: no limit)', positiveNumber)
    .option('--report-dir <dir>', 'where index.html, junit.xml and summary.json go', 'reports')
    .option('--fault <name>', 'switch on a named fault of the embedded reference server (repeatable; see --list-faults)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--kubernetes-version <x.y>', 'judge by this Kubernetes release instead of asking the target (GET /version, OpenAPI); the embedded server then emulates it', kubernetesVersionValue)
    .option('--list-faults', 'list the embedded server faults and the check meant to catch each, then exit')
    .option('--list-categories', 'list the case categories, then exit')
    .option('--list-checks', 'list the checks, then exit')
    .option('--in-cluster', 'run from inside a pod: the API server from KUBERNETES_SERVICE_HOST/PORT, token, CA and namespace from the service account mount (the default when those are there and no target is named)')
    .option('--no-in-cluster', 'never go in-cluster on its own (use the embedded server when no target is named)')
    .option('--service-account-dir <dir>', 'the service account mount to read in-cluster (default /var/run/secrets/kubernetes.io/serviceaccount)')
    .option('--shard <I/N>', 'run shard I of N (whole categories, balanced by expected cost; needs --seed); index/N takes I from JOB_COMPLETION_INDEX+1. Combine shards with: endpoints-conformance merge DIR...')
    .option('--exit-zero', 'exit 0 once the reports are written, whatever the verdict (for Jobs: the verdict is in the reports); 2 still means the run could not be made')
    .option('--sonobuoy', 'run as a Sonobuoy plugin: reports into $SONOBUOY_RESULTS_DIR (default /tmp/sonobuoy/results), then a done file naming junit.xml; implies --exit-zero')
    .option('--results-configmap <name>', 'also store the results in a new ConfigMap of that name in the run\'s namespace (for Jobs: collect with kubectl get configmaps -l endpoints-conformance/results=true -o json, then merge)')
    .option('--compare-with <url>', 'also fire every case at this second target and report where its answers differ (status, reason, causes)')
    .option('--compare-namespace <ns>', 'namespace on the comparison target (default: its kubeconfig context\'s, else the run\'s)')
    .option('--compare-token-file <file>', 'token file for the comparison target (CONFORMANCE_TOKEN is never sent to it)')
    .option('--compare-readonly-token-file <file>', 'read-only token file for the comparison target')
    .addOption(new Option('--compare-auth-scheme <scheme>', 'how the comparison target\'s token is sent').choices(['x-auth-token', 'bearer']))
    .option('--compare-ca-file <file>', 'PEM CA bundle to trust for the comparison target')
    .option('--compare-kubeconfig <file>', 'kubeconfig for the comparison target (default: --kubeconfig, else KUBECONFIG)')
    .option('--compare-context <name>', 'compare with this kubeconfig context\'s cluster')
    .option('--replay <case-id>', 'fire one case again (<category>@<seed>:<path> as printed in reports), print it, shrink it if it fails')
    .option('--bundle <file>', 'also write a certification bundle (FILE.tar.gz: reports, contract, product manifest, run log, SHA-256 of every file); needs --product')
    .option('--product <file>', 'product manifest for --bundle (YAML: vendor, name, version, documentation_url; like CNCF PRODUCT.yaml)')
    .option('--baseline <file>', 'known failures (YAML: check+category or caseId); the exit code then fails only on new failures')
    .option('--baseline-update', 'after the run, write its failures into the --baseline file (created if missing)')
    .addHelpText(
      'after',
      '\nCredentials are never accepted on the command line: use --token-file, CONFORMANCE_TOKEN or a kubeconfig.\n' +
        'Exit codes: 0 the target conforms, 1 it does not (it answered, not as the contract says), 2 the run could not\n' +
        'be made or finished (bad flags or files; the target never answered, refused the credentials or namespace, or\n' +
        'throttled past the retry budget; Ctrl-C/SIGTERM; a crash of the harness) or no case could be tested (all skipped).\n' +
        'Every run that gets past its flags writes the three reports (verdict pass, fail or error, and why).\n' +
        'A request that gets no answer (refused, reset, timeout) fails its case under not_a_server_error. After 5 requests\n' +
        'in a row with no usable answer (those, or an answer cut at the 4 MB body cap), or 5 in a row still throttled with\n' +
        '429 after 3 retries, the run stops, marks the rest not run, and still reports.\n' +
        'Commands: endpoints-conformance bundle --help, endpoints-conformance verify-bundle --help (certification bundles).\n' +
        'With --compare-with the exit code is still the first target\'s verdict; the cases the comparison target answered\n' +
        'differently (status, reason or causes) are listed in the console, summary.json ("comparison") and the HTML reports.',
    )
    .showSuggestionAfterError(false)
    .exitOverride();
  return program;
}

function listing(options: CommandLineOptions): string | undefined {
  if (options.listFaults === true) {
    return faultCatalogue.map((fault) => `${fault.name.padEnd(30)} caught by ${fault.caughtBy.padEnd(32)} ${fault.description}`).join('\n');
  }
  if (options.listCategories === true) {
    return caseCategories.map((category) => `${category.name.padEnd(30)} ${category.group.padEnd(9)} ${category.description}`).join('\n');
  }
  if (options.listChecks === true) return checkRegistry.map((check) => `${check.name.padEnd(32)} ${check.description}`).join('\n');
  return undefined;
}

/** A redactor over secrets that may grow during the run (rebuilt when they do). */
function growingRedactor(secrets: () => string[]): (text: string) => string {
  let key = '';
  let current: (text: string) => string = (text) => text;
  return (text) => {
    const now = secrets();
    const nowKey = now.join('\n');
    if (nowKey !== key) {
      key = nowKey;
      current = createRedactor(now);
    }
    return current(text);
  };
}

function shellWord(text: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The flags that point a replay at the same target (no secret is ever part of them). */
function replayFlags(options: CommandLineOptions, target: OpenedTarget): string[] {
  const release = options.kubernetesVersion === undefined ? [] : ['--kubernetes-version', options.kubernetesVersion];
  if (target.embedded) return [...target.faults.flatMap((fault) => ['--fault', fault]), ...release];
  const flags: string[] = [];
  const add = (flag: string, value: string | undefined): void => {
    if (value !== undefined) flags.push(flag, shellWord(value));
  };
  add('--target', options.target);
  add('--namespace', options.namespace);
  add('--kubeconfig', options.kubeconfig);
  add('--context', options.context);
  add('--token-file', options.tokenFile);
  add('--readonly-token-file', options.readonlyTokenFile);
  add('--ca-file', options.caFile);
  if (options.inCluster === true) flags.push('--in-cluster');
  add('--service-account-dir', options.serviceAccountDir);
  if (options.authScheme === 'bearer') flags.push('--auth-scheme', 'bearer');
  if (options.insecure === true) flags.push('--insecure');
  if (options.dryRunOnly === true) flags.push('--dry-run-only');
  flags.push(...release);
  return flags;
}

function printReplay(report: ReplayReport, redact: (text: string) => string, replayCommand: (caseId: string) => string): void {
  const lines = [`case ${report.caseId} (${report.category}): ${report.description}`];
  for (const exchange of report.exchanges) {
    lines.push('', `step ${exchange.step}: ${exchange.request.method} ${exchange.request.url}`);
    for (const [name, value] of Object.entries(exchange.request.headers)) lines.push(`  ${name}: ${value}`);
    if (exchange.request.body !== undefined) lines.push(`  body: ${exchange.request.body}`);
    if (exchange.response !== undefined) {
      lines.push(`  → HTTP ${exchange.response.status}`);
      for (const [name, value] of Object.entries(exchange.response.headers)) lines.push(`    ${name}: ${Array.isArray(value) ? value.join(' | ') : value}`);
      lines.push(`    body: ${exchange.response.body}`);
    } else if (exchange.failure !== undefined) lines.push(`  → no answer: ${exchange.failure.kind}: ${exchange.failure.message}`);
    lines.push(`  curl: ${curlCommand(exchange)}`);
  }
  lines.push('', 'verdicts:');
  for (const verdict of report.verdicts) {
    const detail = verdict.result === 'fail' ? `: expected ${verdict.expected}; got ${verdict.actual}` : verdict.note === undefined ? '' : `: ${verdict.note}`;
    lines.push(`  step ${verdict.step} ${verdict.check}: ${verdict.result}${detail}`);
  }
  if (report.stopped !== undefined) lines.push(`stopped: ${report.stopped}`);
  for (const shrink of report.shrinks) {
    if (shrink.shrunk !== undefined) {
      lines.push(
        '',
        `shrunk counterexample for ${shrink.check}: ${shrink.shrunk.caseId} (${shrink.shrunk.numShrinks} shrinks${shrink.note === undefined ? '' : `; ${shrink.note}`})`,
        `  ${shrink.shrunk.description}`,
        `  step ${shrink.shrunk.step}: expected ${shrink.shrunk.expected}; got ${shrink.shrunk.actual}`,
        ...shrink.shrunk.exchanges.map((exchange) => `  curl: ${curlCommand(exchange)}`),
        `  replay: ${replayCommand(shrink.shrunk.caseId)}`,
      );
    } else lines.push('', `shrinking ${shrink.check}: ${shrink.note ?? 'no smaller case found'}`);
  }
  lines.push('', report.failed ? 'FAIL: the case fails on this target' : 'PASS: the case passes on this target');
  process.stdout.write(`${redact(lines.join('\n'))}\n`);
}

function progressPrinter(): (progress: RunProgress) => void {
  const interactive = process.stderr.isTTY === true;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    const finished = progress.done === progress.planned;
    if (!finished && now - last < (interactive ? 200 : 5000)) return;
    last = now;
    if (interactive) process.stderr.write(`\r${progressLine(progress)}${finished ? '\n' : ''}`);
    else process.stderr.write(`${progressLine(progress)}\n`);
  };
}

async function run(argv: string[]): Promise<number> {
  if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    // subcommands (bundle, verify-bundle, merge): their modules (tar, yaml) load only for them
    const { isBundleCommand, runBundleCommand } = await import('./bundleCommands.ts');
    if (isBundleCommand(argv)) return runBundleCommand(argv);
    if (argv[0] === 'merge') return (await import('./mergeCommand.ts')).runMerge(argv.slice(1));
  }
  const program = buildProgram();
  program.parse(argv, { from: 'user' });
  const options = program.opts<CommandLineOptions>();
  const listed = listing(options);
  if (listed !== undefined) {
    process.stdout.write(`${listed}\n`);
    return 0;
  }
  // a replay is one case: Ctrl-C ends it as usual; a run is watched from here on
  const stop = options.replay === undefined ? watchStopSignals() : undefined;
  try {
    return await runWithFlags(argv, options, stop);
  } finally {
    stop?.dispose();
  }
}

async function runWithFlags(argv: string[], options: CommandLineOptions, stop: StopSignals | undefined): Promise<number> {
  const only = splitNameList(options.only);
  const skip = splitNameList(options.skip);
  const selected = resolveSelection(caseCategories, checkRegistry, only, skip);
  if (!selected.ok) throw new UsageFailure(selected.error);
  const vendorFlags: VendorFlags = {
    bundle: options.bundle,
    product: options.product,
    baseline: options.baseline,
    baselineUpdate: options.baselineUpdate === true,
    command: ['endpoints-conformance', ...argv.map(shellWord)].join(' '),
    reportDir: options.reportDir,
  };
  const vendor = await prepareVendorOutputs(vendorFlags, caseCategories, checkRegistry);
  if (!vendor.ok) throw new UsageFailure(vendor.error);
  const contract = await loadContract();
  let shard: { index: number; count: number } | undefined;
  if (options.shard !== undefined) {
    const parsed = parseShard(options.shard, process.env);
    if (!parsed.ok) throw new UsageFailure(parsed.error);
    if (options.seed === undefined) throw new UsageFailure('--shard needs --seed N: every shard must generate from the same seed');
    if (options.replay !== undefined) throw new UsageFailure('--shard does not apply to --replay');
    const split = shardCategories(selected.selection.categories, parsed.shard, contract, options.seed, options.runs);
    if (!split.ok) throw new UsageFailure(split.error);
    selected.selection.categories = split.categories;
    shard = parsed.shard;
  }
  if (options.sonobuoy === true) options.reportDir = sonobuoyResultsDir(process.env);
  const flags: TargetFlags = {
    target: options.target,
    namespace: options.namespace,
    tokenFile: options.tokenFile,
    readonlyTokenFile: options.readonlyTokenFile,
    authScheme: options.authScheme,
    caFile: options.caFile,
    insecure: options.insecure,
    kubeconfig: options.kubeconfig,
    context: options.context,
    faults: options.fault,
    ...(options.inCluster === undefined ? {} : { inCluster: options.inCluster }),
    ...(options.serviceAccountDir === undefined ? {} : { serviceAccountDir: options.serviceAccountDir }),
    execTimeoutMs: options.execTimeout,
    // kubectl passes an exec plugin's stderr to the user
    pluginStderr: (text: string) => process.stderr.write(text),
    ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
  };
  const opening = openTarget(flags, process.env);
  // the runner's modules load while the embedded server starts on its own thread
  const runnerLoading = import('../harness/run/runConformance.ts');
  runnerLoading.catch(() => undefined);
  const opened = await opening;
  if (!opened.ok) throw new UsageFailure(opened.error);
  const target = opened.target;
  if (options.resultsConfigmap !== undefined && (target.embedded || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(options.resultsConfigmap) || options.resultsConfigmap.length > 253)) {
    await target.close();
    throw new UsageFailure(target.embedded ? '--results-configmap needs a real target (in-cluster, --kubeconfig or --target)' : `--results-configmap ${JSON.stringify(options.resultsConfigmap)}: not a valid ConfigMap name`);
  }
  try {
    if (options.replay !== undefined && wantsComparison(options)) throw new UsageFailure('--compare-* flags do not apply to --replay (replay on each target separately)');
    const comparing = await resolveComparisonTarget(options, { firstNamespace: target.connection.namespace, kubeconfig: options.kubeconfig, env: process.env });
    if (!comparing.ok) throw new UsageFailure(comparing.error);
    const compareWith = comparing.target;
    const secrets = [
      target.connection.auth.token, target.connection.auth.readonlyToken, target.connection.tls.keyPem,
      compareWith?.connection.auth.token, compareWith?.connection.auth.readonlyToken, compareWith?.connection.tls.keyPem,
    ].filter(
      (secret): secret is string => secret !== undefined,
    );
    // an in-cluster token may rotate, and a credential source (exec plugin, oidc) hands out new
    // secrets during the run: mask every one seen
    const redact = growingRedactor(() => [...secrets, ...(target.secrets?.() ?? []), ...(target.connection.credentials?.secrets() ?? []), ...(compareWith?.connection.credentials?.secrets() ?? [])]);
    for (const warning of [...target.warnings, ...(compareWith?.warnings ?? [])]) process.stderr.write(`warning: ${redact(warning)}\n`);
    const flagsForReplay = replayFlags(options, target);
    const replayCommand = (caseId: string): string =>
      ['npm run conformance --', '--replay', shellWord(caseId), ...flagsForReplay].join(' ');
    const comparisonFlagsForReplay = compareWith === undefined ? undefined : comparisonReplayFlags(options, compareWith.connection, options.kubeconfig);
    const comparisonReplayCommand =
      comparisonFlagsForReplay === undefined
        ? undefined
        : (caseId: string): string => ['npm run conformance --', '--replay', shellWord(caseId), ...comparisonFlagsForReplay].join(' ');

    if (options.replay !== undefined) {
      const { replayOne } = await import('../harness/run/replayOne.ts');
      const replayed = await replayOne({
        caseId: options.replay,
        connection: target.connection,
        contract,
        checks: selected.selection.checks,
        dryRunOnly: options.dryRunOnly === true,
        timeoutMs: options.timeout,
        shrink: true,
        ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
      });
      if (!replayed.ok) throw new UsageFailure(redact(replayed.error));
      if (replayed.report.skipped !== undefined) {
        throw new UsageFailure(`case ${replayed.report.caseId} cannot run on this target: ${replayed.report.skipped}`);
      }
      printReplay(replayed.report, redact, replayCommand);
      return replayed.report.failed ? 1 : 0;
    }

    const printProgress = progressPrinter();
    const watched = stop ?? watchStopSignals();
    try {
      const { exitCodeFor, runConformance } = await runnerLoading;
      const outcome = await runConformance({
        connection: target.connection,
        targetDescription: target.description,
        // performance.now() counts from process start: the start-up phase includes loading the CLI.
        startupBeganAt: 0,
        selection: selected.selection,
        runs: options.runs,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        dryRunOnly: options.dryRunOnly === true,
        concurrency: options.concurrency,
        timeoutMs: options.timeout,
        ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
        contract,
        faults: target.faults,
        generateOnWorker: generatesOnWorkerByDefault(),
        ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
        only,
        skip,
        ...(shard === undefined ? {} : { shard }),
        signal: watched.signal,
        onStarted: ({ runId, seed, plannedCases }) =>
          process.stderr.write(
            `target: ${redact(target.description)}\n${compareWith === undefined ? '' : `compared with: ${redact(compareWith.description)}\n`}run ${runId}, seed ${seed}: ${plannedCases} cases\n`,
          ),
        onProgress: (progress) => {
          printProgress(progress);
          // the last case is done: load the report writer (mocha, mochawesome) while shrinking and
          // cleanup wait on the network
          if (progress.done === progress.planned) void reportWriter();
        },
        ...(compareWith === undefined ? {} : { compareWith: { connection: compareWith.connection, description: compareWith.description } }),
      });
      if (!outcome.ok) throw new UsageFailure(redact(outcome.error));
      const result = vendor.prepared.judge(outcome.result);
      const uncaught = watched.uncaught();
      const stack = outcome.crashStack ?? (uncaught instanceof Error ? uncaught.stack : uncaught === undefined ? undefined : String(uncaught));
      if (result.error?.cause === 'crash' && stack !== undefined) {
        const logFile = await writeCrashLog(options.reportDir, stack, redact);
        if (logFile !== undefined) result.error.logFile = logFile;
      }
      const paths = await (await reportWriter()).writeReports(result, {
        reportDir: options.reportDir, redact, replayCommand, ...(comparisonReplayCommand === undefined ? {} : { comparisonReplayCommand }),
      });
      const runResultFile = await writeRunResultFile(result, options.reportDir, redact);
      if (options.resultsConfigmap !== undefined) {
        // loaded only here (it brings undici in before the embedded server could start otherwise)
        const { storeResultsConfigMap } = await import('../harness/report/resultsConfigMap.ts');
        const stored = await storeResultsConfigMap(target.connection, options.resultsConfigmap, result, {
          runResult: await readFile(runResultFile, 'utf8'),
          extras: [
            { key: 'summary.json', text: await readFile(paths.summary, 'utf8') },
            { key: 'junit.xml', text: await readFile(paths.junit, 'utf8') },
          ],
        });
        if (!stored.ok) throw new UsageFailure(redact(stored.error));
        process.stderr.write(`results stored in ConfigMap ${options.resultsConfigmap}${stored.left.length > 0 ? ` (too large to include: ${stored.left.join(', ')})` : ''}\n`);
      }
      if (options.sonobuoy === true) await writeSonobuoyDone(options.reportDir, paths.junit);
      const comparisonLines = result.comparison === undefined ? '' : `${comparisonConsoleLines(result.comparison, { replayCommand, ...(comparisonReplayCommand === undefined ? {} : { comparisonReplayCommand }) })}\n\n`;
      const table = result.verdict === 'error' && result.totals.cases === 0 ? '' : `${redact(verdictTable(result))}\n\n`;
      process.stdout.write(`${table}${redact(comparisonLines)}${redact(closingLines(result, paths, replayCommand))}\n`);
      if (result.error !== undefined) {
        // the console says it in one line, as the reports do in full
        const log = result.error.logFile === undefined ? '' : ` (the stack is in ${result.error.logFile})`;
        process.stderr.write(`endpoints-conformance: ${redact(result.error.reason)}${log}\n`);
      }
      const finished = await finishVendorOutputs(vendor.prepared, result, redact);
      if (finished.error !== undefined) throw new UsageFailure(redact(finished.error));
      // --exit-zero: a judged run succeeds as a Job whatever its verdict; a run that could not be made is still 2
      if ((options.exitZero === true || options.sonobuoy === true) && result.totals.cases > 0 && result.verdict !== 'error') return 0;
      // an error verdict is exit 2 whatever a baseline says (the run could not judge the target)
      return result.verdict === 'error' ? exitCodeFor(result) : (finished.exitCode ?? exitCodeFor(result));
    } finally {
      if (stop === undefined) watched.dispose();
    }
  } finally {
    await target.close();
  }
}

let reportWriterModule: Promise<typeof import('../harness/report/writeReports.ts')> | undefined;
/** The report writer, loaded on first use (about 0.15 s of modules a listing or a replay never needs). */
function reportWriter(): Promise<typeof import('../harness/report/writeReports.ts')> {
  reportWriterModule ??= import('../harness/report/writeReports.ts');
  return reportWriterModule;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n').find((line) => line.trim().length > 0)?.trim() ?? 'unknown error';
}

async function main(): Promise<void> {
  let code: number;
  try {
    code = await run(process.argv.slice(2));
  } catch (error) {
    const commanderError = error as { code?: unknown; exitCode?: unknown };
    if (typeof commanderError.code === 'string' && commanderError.code.startsWith('commander.')) {
      // commander printed its own one-line message (or the help / version)
      const helpOrVersion = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(commanderError.code);
      code = helpOrVersion ? 0 : 2;
    } else {
      process.stderr.write(`endpoints-conformance: ${oneLine(error)}\n`);
      code = 2;
    }
    if (code === 2 && process.argv.slice(2).includes('--sonobuoy')) {
      // Sonobuoy waits for a done file: give it one saying why there is no run
      await writeSonobuoyFailure(sonobuoyResultsDir(process.env), oneLine(error)).catch(() => undefined);
    }
  }
  process.exitCode = code;
  // the embedded server's worker and keep-alive sockets are closed; make sure nothing lingers
  setTimeout(() => process.exit(code), 1000).unref();
}

await main();
