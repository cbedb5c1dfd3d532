/**
 * A generated conformance case: plain data, so it can be fired, checked, printed,
 * replayed and reported without the code that made it.
 *
 * Placeholders. Strings anywhere in a step's path, query, headers or JSON body may contain
 * `{{…}}` placeholders that the runner fills in just before firing:
 *   {{namespace}}         the namespace the run writes to (exists on the target)
 *   {{missingNamespace}}  a namespace that does not exist on the target
 *   {{unique}}            a name part unique to this case in this run (run id + case number,
 *                         lowercase alphanumerics and '-', at most 40 characters, valid as the
 *                         start of a DNS-1123 subdomain and as a label value)
 *   {{runId}}             the run id (lowercase alphanumerics, valid as a label value)
 *   {{stepN.<dot.path>}}  a value from step N's response body, e.g.
 *                         {{step0.metadata.resourceVersion}}; when the whole string is the
 *                         placeholder, the value keeps its JSON type.
 * Every object a case writes has `{{unique}}` in its name and the run label
 * `endpoints-conformance/run: {{runId}}` in metadata.labels (when the case sends labels at all
 * the generator merges it in), so a run only ever writes objects it owns.
 */

/** The JSON values a body can hold. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What credentials the runner attaches to a step. Token values never appear in a case. */
export type CaseAuth = 'valid' | 'none' | 'invalid' | 'readonly';

export type CaseBody =
  | { kind: 'json'; value: JsonValue }
  /** Bytes sent verbatim (unparsable JSON, YAML, non-object JSON, huge bodies...). */
  | { kind: 'raw'; text: string }
  | { kind: 'none' };

export interface CaseRequest {
  method: 'PUT' | 'POST' | 'GET' | 'DELETE';
  /** Path relative to the target's base URL, already percent-encoded, e.g.
   * `/api/v1/namespaces/{{namespace}}/endpoints/{{unique}}`. */
  path: string;
  /** Query parameters in order; a name may repeat. */
  query: Array<[string, string]>;
  /** Extra headers (lower-case names). Content-Type defaults to application/json for a JSON
   * body and Accept to application/json when absent here; set them here to override, or set
   * the value to '' to send no such header at all. Never an auth header: use `auth`. */
  headers: Record<string, string>;
  body: CaseBody;
  auth: CaseAuth;
}

/** A `details.causes[]` entry a 422 must name: the field path in Kubernetes' syntax and the
 * cause type (`FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`,
 * `FieldValueTooLong`, `FieldValueForbidden`, `FieldValueDuplicate`). */
export interface ExpectedCause {
  field: string;
  type: string;
}

export interface StepExpectation {
  /** Acceptable HTTP statuses (more than one where Kubernetes releases or the vendor page
   * differ; `why` then says why). */
  status: number[];
  why?: string;
  /** Acceptable `Status.reason` values for an error answer (e.g. ['Invalid']). */
  reason?: string[];
  /** For a 422: the distinct (field, type) pairs the causes must name, exactly. */
  causes?: ExpectedCause[];
  /** Kubernetes itself answers 500 here (rules note M17): a 5xx is reported as upstream
   * behaviour, not as the target's failure. The text says why. */
  upstreamServerError?: string;
  /** The input is invalid: a 2xx answer is a failure of `negative_data_rejection`. */
  invalidInput?: boolean;
  /** A 2xx body must echo what was sent after Kubernetes' defaulting (subsets as sent,
   * protocol TCP when absent, name, namespace, labels, annotations). */
  echo?: boolean;
  /** This step creates the object with PUT (201 expected) — `create_on_put` judges it. */
  createsObject?: boolean;
  /** This step replaces an object an earlier step created (200 expected) — `create_on_put`. */
  replacesObject?: boolean;
  /** uid and creationTimestamp must equal those in step N's response. */
  identityOf?: number;
  /** metadata.resourceVersion compared with step N's response. */
  resourceVersion?: { ofStep: number; relation: 'changed' | 'unchanged' };
  /** The step carries a stale resourceVersion: 409 Conflict expected. */
  staleResourceVersion?: boolean;
  /** A GET after a dryRun step: the object must be absent (404) ... */
  absent?: boolean;
  /** ... or equal (uid, resourceVersion, subsets, labels) to step N's response. */
  storedEquals?: number;
  /** The step sends no or bad credentials (or a read-only identity writes): it must be
   * refused with 401/403 — `auth_enforced` judges it. */
  unauthorized?: boolean;
}

export interface CaseStep {
  request: CaseRequest;
  expect: StepExpectation;
}

export interface ConformanceCase {
  /** Stable category identifier, e.g. `ip-loopback`. */
  category: string;
  /** One line on what this particular case does, e.g. "loopback 127.3.2.1 at subsets[1].addresses[0].ip". */
  description: string;
  /** One or more steps fired in order (create-then-update scenarios, GET after dryRun). */
  steps: CaseStep[];
  /** Contract fields and query parameters this case exercises, for the coverage report:
   * e.g. {valid: ['subsets[].ports[].protocol', 'query.pretty'], invalid: ['subsets[].addresses[].ip']}. */
  exercises: { valid: string[]; invalid: string[] };
  /** What the case needs from the target; the runner skips it (and says why) when absent. */
  needs: Array<'stored-object' | 'readonly-token' | 'credentials'>;
}
