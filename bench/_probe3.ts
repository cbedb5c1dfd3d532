import { startBenchServer } from './serverThread.ts';
import { execSync } from 'node:child_process';
const bench = await startBenchServer({});
const u = bench.server.url + '/api/v1/namespaces/conformance/endpoints/abc';
const h = `-H 'x-auth-token: ${bench.server.tokens[0]}' -H 'content-type: application/json'`;
const body = JSON.stringify({ metadata: { name: 'abc' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
console.log(execSync(`curl -s -v -X PUT ${h} -d '${body}' '${u}?fieldManager=%C3%A9x' -o /dev/null 2>&1 | grep '^<'`).toString());
console.log(execSync(`curl -s -v ${h} '${u}' '${u}' 2>&1 | grep -E '^<|^\\*|^\\{' | cut -c1-200`).toString());
await bench.close();
