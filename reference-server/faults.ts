/**
 * The named faults of the reference server: THE one place they are documented.
 * Each fault is one realistic bug switched on at the point where the bug would live;
 * everything else stays correct.
 */

export const faultNames = [
  'accept-loopback-ip',
  'accept-link-local-ip',
  'accept-port-zero',
  'accept-lowercase-protocol',
  'accept-unnamed-ports',
  'skip-not-ready-validation',
  'accept-bad-dry-run',
  'accept-long-field-manager',
  'ignore-dry-run',
  'accept-name-mismatch',
  'ignore-content-type',
  'no-auth',
  'readonly-can-write',
  'crash-on-bad-json',
  'never-bump-resource-version',
  'bump-on-noop',
  'create-returns-200',
  'no-conflict-on-stale',
  'precondition-failed-on-stale',
  'regenerate-uid-on-update',
  'no-protocol-default',
  'drop-not-ready-addresses',
  'bad-request-instead-of-invalid',
  'causes-without-indices',
  'plain-text-errors',
  'status-code-field-mismatch',
  'numeric-resource-version',
  'generic-reason',
  'wrong-cause-type',
  'no-path-segment-check',
  'ignore-field-validation',
  'reject-leading-zero-ip',
  'accept-malformed-resource-version',
] as const;

export type FaultName = (typeof faultNames)[number];

export type FaultKind = 'validation' | 'request-handling' | 'semantics' | 'error-shape';

export interface FaultDescription {
  name: FaultName;
  kind: FaultKind;
  description: string;
  smallestExposingRequest: string;
  caughtBy: string;
}

const P = 'PUT /api/v1/namespaces/default/endpoints/x';
const ok = '"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80}]}]';

export const faultCatalogue: readonly FaultDescription[] = Object.freeze([
  {
    name: 'accept-loopback-ip', kind: 'validation',
    description: 'Loopback addresses (127.0.0.0/8, ::1 and ::ffff:127.x) pass the special-IP check.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]} → expected 422 Invalid (subsets[0].addresses[0].ip), faulty 201`,
    caughtBy: 'negative_data_rejection',
  },
  {
    name: 'accept-link-local-ip', kind: 'validation',
    description: 'Link-local unicast addresses (169.254.0.0/16, fe80::/10) pass the special-IP check.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"169.254.1.1"}]}]} → expected 422, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'accept-port-zero', kind: 'validation',
    description: 'Port number 0 (which is also what an omitted port decodes to) is accepted.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":0}]}]} → expected 422, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'accept-lowercase-protocol', kind: 'validation',
    description: 'Port protocol compared case-insensitively: "tcp" is accepted and stored as sent.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80,"protocol":"tcp"}]}]} → expected 422 NotSupported, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'accept-unnamed-ports', kind: 'validation',
    description: 'Several ports in one subset may have empty names.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80},{"port":81}]}]} → expected 422 Required (ports[0].name, ports[1].name), faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'skip-not-ready-validation', kind: 'validation',
    description: 'notReadyAddresses are not validated at all.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"notReadyAddresses":[{"ip":"not-an-ip"}]}]} → expected 422, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'accept-bad-dry-run', kind: 'request-handling',
    description: 'dryRun values other than "All" are ignored and the request is processed (and persisted) normally.',
    smallestExposingRequest: `${P}?dryRun=all {"metadata":{"name":"x"},${ok}} → expected 422 UpdateOptions, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'accept-long-field-manager', kind: 'request-handling',
    description: 'fieldManager longer than 128 bytes is accepted (and truncated into managedFields).',
    smallestExposingRequest: `${P}?fieldManager=<129 x "a"> {"metadata":{"name":"x"},${ok}} → expected 422 UpdateOptions, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'ignore-dry-run', kind: 'semantics',
    description: 'dryRun=All is answered like a normal write and the object IS persisted.',
    smallestExposingRequest: `${P}?dryRun=All {"metadata":{"name":"x"},${ok}} → 201, then GET .../endpoints/x expected 404, faulty 200`,
    caughtBy: 'dry_run_persists_nothing',
  },
  {
    name: 'accept-name-mismatch', kind: 'request-handling',
    description: 'A body metadata.name different from the URL name is accepted; the object is stored under the URL name.',
    smallestExposingRequest: `${P} {"metadata":{"name":"y"},${ok}} → expected 400 BadRequest, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'ignore-content-type', kind: 'request-handling',
    description: 'Any Content-Type is accepted and the body decoded as JSON.',
    smallestExposingRequest: `${P} Content-Type: text/plain {"metadata":{"name":"x"},${ok}} → expected 415, faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'no-auth', kind: 'request-handling',
    description: 'Requests without credentials or with a wrong token are served as if authenticated read-write.',
    smallestExposingRequest: `${P} (no Authorization/X-Auth-Token) {"metadata":{"name":"x"},${ok}} → expected 401, faulty 201`,
    caughtBy: 'auth_enforced',
  },
  {
    name: 'readonly-can-write', kind: 'request-handling',
    description: 'The read-only token may write (PUT/DELETE).',
    smallestExposingRequest: `${P} (read-only token) {"metadata":{"name":"x"},${ok}} → expected 403, faulty 201`,
    caughtBy: 'auth_enforced',
  },
  {
    name: 'crash-on-bad-json', kind: 'request-handling',
    description: 'An unparsable JSON body makes the handler throw: 500 Status instead of 400.',
    smallestExposingRequest: `${P} {"metadata": → expected 400 BadRequest, faulty 500`,
    caughtBy: 'not_a_server_error',
  },
  {
    name: 'never-bump-resource-version', kind: 'semantics',
    description: 'metadata.resourceVersion stays at its creation value whatever the updates.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} (201), then the same with a different ip → expected a new resourceVersion, faulty unchanged`,
    caughtBy: 'resource_version_semantics',
  },
  {
    name: 'bump-on-noop', kind: 'semantics',
    description: 'A no-op PUT (identical object) bumps resourceVersion anyway.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} twice → expected the same resourceVersion, faulty a new one`,
    caughtBy: 'resource_version_semantics',
  },
  {
    name: 'create-returns-200', kind: 'semantics',
    description: 'Create-on-PUT answers 200 instead of 201.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} on an absent object → expected 201, faulty 200`,
    caughtBy: 'create_on_put',
  },
  {
    name: 'no-conflict-on-stale', kind: 'semantics',
    description: 'A stale metadata.resourceVersion is accepted (last write wins, no optimistic concurrency).',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} (201, rv R), update (rv R2), then PUT with "resourceVersion":"R" → expected 409, faulty 200`,
    caughtBy: 'stale_resource_version_conflict',
  },
  {
    name: 'precondition-failed-on-stale', kind: 'error-shape',
    description: 'A stale metadata.resourceVersion is answered 412 PreconditionFailed (undocumented status) instead of 409 Conflict.',
    smallestExposingRequest: `${P} with a stale "resourceVersion" on an existing object → expected 409 Conflict, faulty 412`,
    caughtBy: 'status_code_documented',
  },
  {
    name: 'regenerate-uid-on-update', kind: 'semantics',
    description: 'Every update gets a new uid and creationTimestamp.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} twice with different ips → expected the same uid, faulty a new one`,
    caughtBy: 'identity_preserved',
  },
  {
    name: 'no-protocol-default', kind: 'semantics',
    description: 'ports[].protocol is left absent instead of being defaulted to TCP.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} → expected ports[0].protocol "TCP" in the answer, faulty absent`,
    caughtBy: 'success_echo_conformance',
  },
  {
    name: 'drop-not-ready-addresses', kind: 'semantics',
    description: 'notReadyAddresses are dropped from the stored and echoed object.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"notReadyAddresses":[{"ip":"10.0.0.2"}]}]} → expected notReadyAddresses echoed, faulty absent`,
    caughtBy: 'success_echo_conformance',
  },
  {
    name: 'bad-request-instead-of-invalid', kind: 'error-shape',
    description: 'Object validation errors are answered 400 BadRequest (same message, no causes) instead of 422 Invalid.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]} → expected 422 Invalid, faulty 400 BadRequest`,
    caughtBy: 'status_reason_conformance',
  },
  {
    name: 'causes-without-indices', kind: 'error-shape',
    description: 'Cause field paths lose their list indices (subsets.addresses.ip instead of subsets[0].addresses[0].ip).',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]} → expected cause field subsets[0].addresses[0].ip, faulty subsets.addresses.ip`,
    caughtBy: 'status_causes_conformance',
  },
  {
    name: 'plain-text-errors', kind: 'error-shape',
    description: 'Error answers are text/plain bodies "Error: <message>" instead of a JSON Status.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]} → expected application/json Status, faulty text/plain`,
    caughtBy: 'response_content_type_json',
  },
  {
    name: 'status-code-field-mismatch', kind: 'error-shape',
    description: 'Status.code is always 500 in error bodies, whatever the HTTP status.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]} → expected HTTP 422 with code 422, faulty code 500`,
    caughtBy: 'status_body_code_matches',
  },
  {
    name: 'numeric-resource-version', kind: 'error-shape',
    description: 'Success bodies carry metadata.resourceVersion as a JSON number instead of a string.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},${ok}} → expected "resourceVersion":"<digits>", faulty a number`,
    caughtBy: 'response_schema_conformance',
  },
  {
    name: 'generic-reason', kind: 'error-shape',
    description: 'Every error Status has reason "BadRequest" (HTTP statuses stay right).',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"127.0.0.1"}]}]} → expected reason Invalid, faulty BadRequest`,
    caughtBy: 'status_reason_conformance',
  },
  {
    name: 'wrong-cause-type', kind: 'error-shape',
    description: 'Every cause is reported with type FieldValueInvalid.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.0.0.1"}],"ports":[{"port":80,"protocol":"tcp"}]}]} → expected FieldValueNotSupported, faulty FieldValueInvalid`,
    caughtBy: 'status_causes_conformance',
  },
  {
    name: 'no-path-segment-check', kind: 'request-handling',
    description: 'A URL name containing "%" (or equal to "." or "..") is not refused as a path segment: it goes on to validation (422) instead of 400 BadRequest.',
    smallestExposingRequest: 'PUT /api/v1/namespaces/default/endpoints/x%25y {"metadata":{"name":"x%y"},' + ok + '} → expected 400 BadRequest "Name parameter invalid", faulty 422',
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'ignore-field-validation', kind: 'request-handling',
    description: 'fieldValidation=Strict is not enforced on a release that has it: unknown and duplicate fields are dropped silently.',
    smallestExposingRequest: `${P}?fieldValidation=Strict {"metadata":{"name":"x"},"foo":1,${ok}} → expected 400 BadRequest (strict decoding error), faulty 201`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'reject-leading-zero-ip', kind: 'validation',
    description: 'IPv4 addresses with leading zeros are rejected (Go >= 1.17 net.ParseIP) on a release that parses them sloppily and accepts them (1.22-1.35).',
    smallestExposingRequest: `${P} {"metadata":{"name":"x"},"subsets":[{"addresses":[{"ip":"10.001.2.3"}]}]} → expected 201 (with a Warning), faulty 422`,
    caughtBy: 'status_code_conformance',
  },
  {
    name: 'accept-malformed-resource-version', kind: 'semantics',
    description: 'A metadata.resourceVersion that is not a number is treated as absent: the write succeeds.',
    smallestExposingRequest: `${P} {"metadata":{"name":"x","resourceVersion":"abc"},${ok}} → expected 500 (upstream) or 400, faulty 201`,
    caughtBy: 'negative_data_rejection',
  },
] satisfies FaultDescription[]);

const known: ReadonlySet<string> = new Set(faultNames);

export function isFaultName(s: string): s is FaultName {
  return known.has(s);
}

/** The set of faults switched on, passed down to the points where each bug lives. */
export type FaultSet = ReadonlySet<FaultName>;
