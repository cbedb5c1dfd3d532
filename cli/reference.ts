/**
 * Runs the embedded reference server on its own:  npm run reference -- --port 8080 --fault accept-port-zero
 */
import { parseKubernetesRelease } from '../spec/kubernetesReleaseDifferences.ts';
import { emulatedVersion } from '../reference-server/emulatedRelease.ts';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { faultCatalogue, isFaultName, startReferenceServer, type FaultName } from '../reference-server/index.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function port(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be an integer between 0 and 65535');
  return Number(value);
}

function nonNegative(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return Number(value);
}

function printCatalogue(): void {
  for (const f of faultCatalogue) {
    console.log(`${f.name}  [${f.kind}; caught by ${f.caughtBy}]`);
    console.log(`    ${f.description}`);
    console.log(`    smallest exposing request: ${f.smallestExposingRequest}`);
  }
}

const program = new Command()
  .name('reference')
  .description('Embedded Kubernetes-faithful reference server for PUT /api/v1/namespaces/{namespace}/endpoints/{name}, with named faults.')
  .addOption(new Option('--port <n>', 'port to listen on (0 picks a free port)').default(0).argParser(port))
  .option('--host <host>', 'address to listen on (loopback only is recommended)', '127.0.0.1')
  .option('--token <token>', 'read-write bearer / X-Auth-Token token (repeatable; default conformance-token)', collect, [])
  .option('--readonly-token <token>', 'read-only token: may read, gets 403 on writes (repeatable; default conformance-readonly-token)', collect, [])
  .option('--namespaces <list>', 'comma-separated namespaces that exist', 'default,conformance')
  .option('--tls', 'serve HTTPS with a certificate generated at start (SAN 127.0.0.1, localhost); the CA PEM is printed')
  .addOption(new Option('--latency-ms <n>', 'delay every response by N milliseconds').default(0).argParser(nonNegative))
  .option('--fault <name>', 'switch on a named fault (repeatable); "--fault list" prints the catalogue', collect, [])
  .option('--list-faults', 'print the fault catalogue and exit')
  .option('--kubernetes-version <x.y>', 'emulate this Kubernetes release where releases differ (e.g. 1.20); default: current')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] + '\n') });

interface Flags {
  port: number; host: string; token: string[]; readonlyToken: string[]; namespaces: string;
  tls?: boolean; latencyMs: number; fault: string[]; listFaults?: boolean; kubernetesVersion?: string;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

async function main(): Promise<void> {
  try {
    program.parse(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    throw e;
  }
  const flags = program.opts<Flags>();
  if (flags.listFaults || flags.fault.includes('list')) {
    printCatalogue();
    return;
  }
  const unknown = flags.fault.filter((f) => !isFaultName(f));
  if (unknown.length) {
    console.error(`error: unknown fault ${JSON.stringify(unknown[0])} (see --list-faults)`);
    process.exit(2);
  }
  const namespaces = flags.namespaces.split(',').map((s) => s.trim()).filter(Boolean);
  if (namespaces.length === 0) {
    console.error('error: --namespaces needs at least one namespace');
    process.exit(2);
  }
  const release = flags.kubernetesVersion === undefined ? undefined : parseKubernetesRelease(flags.kubernetesVersion);
  if (flags.kubernetesVersion !== undefined && release === undefined) {
    console.error(`error: --kubernetes-version ${JSON.stringify(flags.kubernetesVersion)} is not a release like 1.20`);
    process.exit(2);
  }
  const server = await startReferenceServer({
    ...(release === undefined ? {} : { version: emulatedVersion(release) }),
    port: flags.port,
    host: flags.host,
    tokens: flags.token.length ? flags.token : undefined,
    readonlyTokens: flags.readonlyToken.length ? flags.readonlyToken : undefined,
    namespaces,
    tls: flags.tls ?? false,
    latencyMs: flags.latencyMs,
    faults: flags.fault as FaultName[],
  });
  console.log(`tokens: ${server.tokens.join(', ')}`);
  console.log(`readonly tokens: ${server.readonlyTokens.join(', ')}`);
  console.log(`namespaces: ${server.namespaces.join(', ')}`);
  console.log(`faults: ${server.faults.length ? server.faults.join(', ') : '(none)'}`);
  console.log(`kubernetes: ${release === undefined ? 'current' : `${release.major}.${release.minor}`}`);
  if (server.caCertPem) console.log(`ca certificate:\n${server.caCertPem.trim()}`);
  console.log(`listening on ${server.url}`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
