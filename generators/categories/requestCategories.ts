/**
 * Request-level categories (rules note R1–R5, R17–R23, M5, M17; vendor page headers
 * X-Auth-Token and Content-Type, status codes 401/403/404/405/406/415/500).
 */
import fc from 'fast-check';
import type { CaseCategory } from '../categories.ts';
import type { CaseAuth, CaseBody, CaseRequest, ConformanceCase, StepExpectation } from '../case.ts';
import { constraintsOf } from '../contractConstraints.ts';
import { copyBody, toJsonValue, type EndpointsBody } from '../endpointsBody.ts';
import { dnsLabel } from '../nameFormats.ts';
import { expectBadRequest } from '../requestShape.ts';
import { singleRequestCase } from '../singleRequestCase.ts';
import { validEndpointsBody, validQuery } from '../validEndpoints.ts';

interface RequestBreak {
  flaw: string;
  body?: EndpointsBody | CaseBody;
  method?: CaseRequest['method'];
  namespace?: string;
  headers?: Record<string, string>;
  auth?: CaseAuth;
  expect: StepExpectation;
  invalidFields: string[];
  needs?: ConformanceCase['needs'];
}

function requestCategory(
  name: string,
  description: string,
  source: string,
  breaks: (body: EndpointsBody) => fc.Arbitrary<RequestBreak>,
  options: { withQuery?: boolean } = {},
): CaseCategory {
  return {
    name,
    description,
    source,
    group: 'request',
    arbitrary(contract) {
      const constraints = constraintsOf(contract);
      const query = options.withQuery === false ? fc.constant<Array<[string, string]>>([]) : validQuery(constraints);
      return fc
        .tuple(validEndpointsBody(constraints), query)
        .chain(([body, pairs]) => breaks(body).map((broken) => ({ body, pairs, broken })))
        .map(({ body, pairs, broken }) =>
          singleRequestCase({
            category: name,
            description: broken.flaw,
            body: broken.body ?? body,
            name: body.metadata.name,
            namespace: broken.namespace,
            method: broken.method,
            query: pairs,
            headers: broken.headers,
            auth: broken.auth,
            expect: broken.expect,
            invalidFields: broken.invalidFields,
            needs: broken.needs,
          }),
        );
    },
  };
}

const failing = (status: number, reason: string): StepExpectation => ({ status: [status], reason: [reason], invalidInput: true });

const unsupportedContentTypes = [
  'text/plain',
  'text/html',
  'text/json',
  'application/xml',
  'application/octet-stream',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=endpoints',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/jsonl',
  'image/png',
];

const unacceptableAccepts = ['text/html', 'text/plain', 'application/xml', 'image/png', 'text/csv', 'application/pdf', 'application/protobuf', 'text/html, application/xml;q=0.9'];

type UnparsableShape = 'truncated' | 'garbage' | 'array' | 'scalar' | 'empty' | 'trailing garbage';

function unparsableBody(body: EndpointsBody): fc.Arbitrary<{ text: string; shape: UnparsableShape }> {
  const json = JSON.stringify(toJsonValue(body));
  return fc.oneof(
    fc.nat(json.length - 1).map((cut) => ({ text: json.slice(0, cut), shape: 'truncated' as const })),
    fc.constantFrom('hello', 'not json', '<Endpoints/>', '{a:1}', "{'kind':'Endpoints'}", '{"kind":}', '}', '{"metadata":{"name":"x"}', 'kind: Endpoints').map((text) => ({ text, shape: 'garbage' as const })),
    fc.constantFrom('[]', `[${json}]`, '[{}]').map((text) => ({ text, shape: 'array' as const })),
    fc.oneof(fc.constantFrom('42', '"endpoints"', 'true', 'false', '-1.5', '0'), fc.integer().map(String)).map((text) => ({ text, shape: 'scalar' as const })),
    fc.constantFrom('', ' ', '\n', '\t\r\n').map((text) => ({ text, shape: 'empty' as const })),
    fc.constantFrom(' x', '}', ',', ' {}', 'null').map((tail) => ({ text: json + tail, shape: 'trailing garbage' as const })),
  );
}

/** apiVersion/kind pairs that are not Endpoints in v1 (R19, R21, R22). */
const wrongKinds: Array<{ apiVersion?: string; kind?: string }> = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'EndpointsList' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Foo' },
  { apiVersion: 'v1', kind: 'endpoints' },
  { apiVersion: 'v1', kind: 'ENDPOINTS' },
  { apiVersion: 'v2', kind: 'Endpoints' },
  { apiVersion: 'v1beta1', kind: 'Endpoints' },
  { apiVersion: 'apps/v1', kind: 'Endpoints' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'Endpoints' },
  { apiVersion: 'a/b/c', kind: 'Endpoints' },
  { apiVersion: 'V1', kind: 'Endpoints' },
  { apiVersion: 'v2' },
];

const malformedResourceVersions = ['abc', '-1', '1.0', ' 1', '1 ', '1a', '+1', '0x10', '1e3', '18446744073709551616', '１２'];

export const requestCategories: readonly CaseCategory[] = [
  requestCategory(
    'content-type-unsupported',
    'a valid JSON body sent with a Content-Type the API does not decode (patch types, text, xml…): 415 UnsupportedMediaType',
    'rules R17; vendor page header Content-Type "application/json"',
    () =>
      fc.constantFrom(...unsupportedContentTypes).map((contentType) => ({
        flaw: `Content-Type ${contentType}`,
        headers: { 'content-type': contentType },
        expect: failing(415, 'UnsupportedMediaType'),
        invalidFields: ['header.Content-Type'],
      })),
  ),
  requestCategory(
    'body-unparsable',
    'a body that is not a JSON object (truncated, garbage, array, scalar, empty): 400 BadRequest',
    'rules R18',
    (body) =>
      unparsableBody(body).map(({ text, shape }) => ({
        flaw: `${shape} body ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`,
        body: { kind: 'raw', text } as CaseBody,
        expect: expectBadRequest(),
        invalidFields: ['body'],
      })),
  ),
  requestCategory(
    'kind-wrong',
    'a body whose apiVersion/kind is not v1 Endpoints (other kinds, EndpointsList, unregistered versions): 400 BadRequest',
    'rules R19, R21, R22',
    (body) =>
      fc.constantFrom(...wrongKinds).map((types) => {
        const copy = copyBody(body);
        delete copy.apiVersion;
        delete copy.kind;
        return {
          flaw: `apiVersion ${JSON.stringify(types.apiVersion)} kind ${JSON.stringify(types.kind)}`,
          body: { ...types, ...copy },
          expect: expectBadRequest(),
          invalidFields: ['apiVersion', 'kind'].filter((field) => field in types),
        };
      }),
  ),
  requestCategory(
    'accept-unsatisfiable',
    'an Accept header no serializer satisfies: 406 NotAcceptable',
    'rules R5; vendor page status 406',
    () =>
      fc.constantFrom(...unacceptableAccepts).map((accept) => ({
        flaw: `Accept ${accept}`,
        headers: { accept },
        expect: failing(406, 'NotAcceptable'),
        invalidFields: ['header.Accept'],
      })),
  ),
  requestCategory(
    'auth-missing',
    'no credentials: 401, or 403 for system:anonymous where anonymous authentication is on',
    'rules R1, R2; vendor page header X-Auth-Token required',
    () =>
      fc.constant({
        flaw: 'no credentials',
        auth: 'none' as const,
        expect: {
          status: [401, 403],
          reason: ['Unauthorized', 'Forbidden'],
          why: 'kube-apiserver answers 403 (system:anonymous not allowed) when anonymous auth is on (the default), 401 when it is off',
          unauthorized: true,
        },
        invalidFields: ['header.X-Auth-Token'],
        needs: ['credentials'] as ConformanceCase['needs'],
      }),
  ),
  requestCategory(
    'auth-invalid',
    'a credential the server does not recognise: 401 Unauthorized',
    'rules R2; vendor page header X-Auth-Token, status 401',
    () =>
      fc.constant({
        flaw: 'invalid credentials',
        auth: 'invalid' as const,
        expect: { status: [401], reason: ['Unauthorized'], unauthorized: true },
        invalidFields: ['header.X-Auth-Token'],
        needs: ['credentials'] as ConformanceCase['needs'],
      }),
  ),
  requestCategory(
    'auth-readonly',
    'an identity that may read but not update endpoints: 403 Forbidden',
    'rules R3; vendor page status 403',
    () =>
      fc.constant({
        flaw: 'read-only credentials',
        auth: 'readonly' as const,
        expect: { status: [403], reason: ['Forbidden'], unauthorized: true },
        invalidFields: [],
        needs: ['readonly-token'] as ConformanceCase['needs'],
      }),
  ),
  requestCategory(
    'namespace-missing',
    'a PUT into a namespace that does not exist: 404 NotFound',
    'rules M5; vendor page status 404',
    (body) =>
      fc.boolean().map((sayNamespace) => {
        const copy = copyBody(body);
        if (sayNamespace) copy.metadata.namespace = '{{missingNamespace}}';
        else delete copy.metadata.namespace;
        return {
          flaw: `namespace {{missingNamespace}} does not exist (body namespace ${sayNamespace ? 'set' : 'absent'})`,
          body: copy,
          namespace: '{{missingNamespace}}',
          expect: failing(404, 'NotFound'),
          invalidFields: ['path.namespace'],
        };
      }),
  ),
  requestCategory(
    'method-not-allowed',
    'POST on the named object path (create is on the collection): 405 MethodNotAllowed',
    'vendor page status 405; go-restful route matching via the apiserver service error handler',
    () =>
      fc.constant({
        flaw: 'POST on the named path',
        method: 'POST' as const,
        expect: failing(405, 'MethodNotAllowed'),
        invalidFields: ['method'],
      }),
  ),
  requestCategory(
    'resource-version-malformed',
    'a metadata.resourceVersion that is not an unsigned integer: Kubernetes answers 500 (reported as upstream behaviour); a 400 BadRequest does better and passes too',
    'rules M17',
    (body) =>
      fc.tuple(fc.constantFrom(...malformedResourceVersions), dnsLabel(8)).map(([resourceVersion, label]) => {
        const copy = copyBody(body);
        copy.metadata.resourceVersion = resourceVersion === 'abc' ? label.replace(/^[0-9]/, 'a') : resourceVersion;
        return {
          flaw: `resourceVersion ${JSON.stringify(copy.metadata.resourceVersion)}`,
          body: copy,
          expect: {
            status: [500, 400],
            why: 'Kubernetes answers 500 (upstream behaviour); a server that answers 400 BadRequest does better',
            invalidInput: true,
            upstreamServerError:
              'kube-apiserver parses metadata.resourceVersion with strconv.ParseUint before looking at the object and returns the raw error as a 500 (rules M17; a 400 fix was proposed in kubernetes PR #68208 and not merged)',
          },
          invalidFields: ['metadata.resourceVersion'],
        };
      }),
  ),
];
