/**
 * meta/v1 Status bodies as k8s.io/apimachinery/pkg/api/errors builds them (§2 of the rules note).
 */
import { aggregateMessage, errorBody, type FieldErrorList } from './fieldErrors.ts';

export interface StatusCause { reason: string; message: string; field: string }
export interface StatusDetails { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[] }
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

function details(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes?.length) out.causes = d.causes;
  return out;
}

export function failure(code: number, reason: string | undefined, message: string, d?: StatusDetails): StatusBody {
  const s: Omit<StatusBody, 'code'> & { code?: number } = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
  if (reason) s.reason = reason;
  if (d) s.details = details(d);
  s.code = code;
  return s as StatusBody;
}

/** NewInvalid: 422, causes in list order, message `<Kind>[.<group>] "<name>" is invalid: ...`. */
export function invalidStatus(kind: string, group: string, name: string, errs: FieldErrorList, jsonRendering: boolean): StatusBody {
  const qualified = group ? `${kind}.${group}` : kind;
  const message = `${qualified} ${JSON.stringify(name)} is invalid: ${aggregateMessage(errs, jsonRendering)}`;
  const causes = errs.map((e) => ({ reason: e.type, message: errorBody(e, jsonRendering), field: e.field }));
  return failure(422, 'Invalid', message, { name, group, kind, causes });
}

export const badRequest = (message: string): StatusBody => failure(400, 'BadRequest', message);

export const unauthorized = (): StatusBody => failure(401, 'Unauthorized', 'Unauthorized');

export function forbidden(user: string, verb: string, resource: string, name: string, namespace: string): StatusBody {
  const subject = name ? `${resource} ${JSON.stringify(name)}` : resource;
  const scope = namespace ? ` in the namespace ${JSON.stringify(namespace)}` : ' at the cluster scope';
  return failure(403, 'Forbidden',
    `${subject} is forbidden: User ${JSON.stringify(user)} cannot ${verb} resource ${JSON.stringify(resource)} in API group ""${scope}`,
    { name, kind: resource });
}

export const notFound = (resource: string, name: string): StatusBody =>
  failure(404, 'NotFound', `${resource} ${JSON.stringify(name)} not found`, { name, kind: resource });

export const pathNotFound = (): StatusBody => failure(404, 'NotFound', 'the server could not find the requested resource', {});

export const methodNotAllowed = (): StatusBody =>
  failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export const notAcceptable = (): StatusBody =>
  failure(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');

export const conflict = (name: string, message: string): StatusBody => conflictOn('endpoints', name, message);

/**
 * NewConflict(GroupResource{Resource: resource}, name, err). Mostly the resource ("endpoints"), but
 * rest.BeforeDelete passes the object's Kind there ("Endpoints").
 */
export const conflictOn = (resource: string, name: string, message: string): StatusBody =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${resource} ${JSON.stringify(name)}: ${message}`, { name, kind: resource });

export const entityTooLarge = (limit: number): StatusBody =>
  failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);

export const unsupportedMediaType = (): StatusBody =>
  failure(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');

/** A non-API error (ErrorToAPIStatus default branch): 500, reason omitted, the raw error text. */
export const rawServerError = (message: string): StatusBody => failure(500, undefined, message);

export const internalError = (message: string): StatusBody =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message, field: '' }] });

export function success(name: string, kind: string, uid: string): Omit<StatusBody, 'code'> & { code?: number } {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: details({ name, kind, uid }) };
}
