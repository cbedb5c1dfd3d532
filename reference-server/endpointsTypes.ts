/**
 * The decoded Endpoints object, mirroring the Go types of core/v1 and meta/v1. A field that is
 * absent holds Go's zero value (e.g. "" for a string); pointer fields are `undefined` when nil.
 * int64 values are a number when safe, a bigint otherwise. Times are milliseconds since the epoch,
 * truncated to seconds (metav1.Time has second precision on the wire).
 */

export type Int64 = number | bigint;

export interface ObjectReference {
  kind?: string; namespace?: string; name?: string; uid?: string;
  apiVersion?: string; resourceVersion?: string; fieldPath?: string;
}

export interface EndpointAddress {
  ip?: string;
  hostname?: string;
  /** *string: present (possibly "") or nil. */
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  /** *string */
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

export interface OwnerReference {
  apiVersion?: string; kind?: string; name?: string; uid?: string;
  controller?: boolean; blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: number;
  fieldsType?: string;
  /** FieldsV1 holds raw JSON; kept as the parsed value. */
  fieldsV1?: unknown;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  selfLink?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: Int64;
  creationTimestamp?: number;
  deletionTimestamp?: number;
  deletionGracePeriodSeconds?: Int64;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
}

export interface Endpoints {
  kind?: string;
  apiVersion?: string;
  metadata: ObjectMeta;
  subsets?: EndpointSubset[];
}
