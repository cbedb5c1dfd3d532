/**
 * metav1.DeleteOptions for DELETE of one Endpoints, the way the apiserver's DeleteResource handler
 * gets them (k8s.io/apiserver/pkg/endpoints/handlers/delete.go): from the body when there is one
 * (the query is then not read at all), else from the query; then ValidateDeleteOptions
 * (k8s.io/apimachinery/pkg/apis/meta/v1/validation), whose errors are a 422 of kind DeleteOptions,
 * group meta.k8s.io.
 *
 * Body decoding: Content-Type picks the decoder (415 otherwise); apiVersion/kind are read first
 * (any apiVersion is accepted with kind DeleteOptions: the meta scheme registers it unversioned);
 * the fields are then unmarshalled case-sensitively, unknown fields ignored. Any decode error is a
 * 400 whose message is the decoder's error (since Kubernetes 1.35, kubernetes#133358; 1.34 and
 * older answered these 500).
 */
import { decodeStruct, isObject, jsonKind, S, struct, type DecodeContext, type FieldSpec } from './decodeEndpoints.ts';
import { invalid, notSupported, str, type FieldErrorList } from './fieldErrors.ts';
import { fastScanJson, JsonSyntaxError, scanJson, type JsonObject, type JsonTree } from './jsonScanner.ts';
import { negotiateInput } from './negotiation.ts';
import { goParseInt64, type QueryParameters } from './queryParameters.ts';
import { bodyAsJsonText } from './replaceEndpoints.ts';

export interface DeleteOptions {
  gracePeriodSeconds?: number | bigint;
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
  propagationPolicy?: string;
  dryRun: string[];
}

export type DeleteOptionsOutcome =
  | { ok: true; options: DeleteOptions }
  | { ok: false; kind: 'unsupportedMediaType' }
  | { ok: false; kind: 'badRequest'; message: string };

const pointerBool: FieldSpec = { shape: { k: 'bool' }, goType: 'bool', pointer: true };
const preconditions = struct('Preconditions', {
  uid: { ...S('types.UID'), pointer: true },
  resourceVersion: { ...S(), pointer: true },
});
const deleteOptionsSpec = struct('DeleteOptions', {
  kind: S(), apiVersion: S(),
  gracePeriodSeconds: { shape: { k: 'int', bits: 64 }, goType: 'int64', pointer: true },
  preconditions: { shape: { k: 'struct', spec: preconditions }, goType: 'v1.Preconditions', pointer: true },
  orphanDependents: pointerBool,
  propagationPolicy: { ...S('v1.DeletionPropagation'), pointer: true },
  dryRun: { shape: { k: 'list', elem: { k: 'string' }, elemGoType: 'string' }, goType: '[]string' },
  ignoreStoreReadErrorWithClusterBreakingPotential: pointerBool,
});

const interpretTarget = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

function badRequest(message: string): DeleteOptionsOutcome {
  return { ok: false, kind: 'badRequest', message };
}

/** The JSON serializer's Decode into a DeleteOptions (the body is JSON text here). */
function decodeBody(text: string): DeleteOptionsOutcome {
  let tree: JsonTree;
  try {
    tree = (fastScanJson(text) ?? scanJson(text)).value;
  } catch (e) {
    if (e instanceof JsonSyntaxError) return badRequest(`couldn't get version/kind; json parse error: ${e.message}`);
    throw e;
  }
  // Interpret: apiVersion and kind with encoding/json (keys matched case-insensitively).
  let apiVersion = '';
  let kind = '';
  if (tree !== null) {
    if (!isObject(tree)) return badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(tree)} into Go value of type ${interpretTarget}`);
    for (const key of Object.keys(tree)) {
      const lower = key.toLowerCase();
      if (lower !== 'apiversion' && lower !== 'kind') continue;
      const v = tree[key];
      if (v !== null && typeof v !== 'string') {
        return badRequest(`couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${lower === 'kind' ? 'kind' : 'apiVersion'} of type string`);
      }
      if (lower === 'kind') kind = v ?? ''; else apiVersion = v ?? '';
    }
  }
  if (apiVersion.split('/').length > 2) return badRequest(`unexpected GroupVersion string: ${apiVersion}`);
  if (kind !== '' && kind !== 'DeleteOptions') {
    // Approximate: the text for a kind the meta scheme does not know (the few meta kinds it does
    // know fail later, on conversion, with another text). The status, 400, is exact.
    const gv = apiVersion === '' || apiVersion === '/' ? 'meta.k8s.io/v1' : apiVersion;
    return badRequest(`no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(gv)} in scheme "k8s.io/apimachinery/pkg/apis/meta/internalversion/scheme"`);
  }
  const ctx: DecodeContext = { unknown: [] };
  const decoded = tree === null ? {} : decodeStruct(tree as JsonObject, deleteOptionsSpec, ctx, '', '');
  if (ctx.typeError) return badRequest(ctx.typeError);
  const d = decoded as { gracePeriodSeconds?: number | bigint; preconditions?: { uid?: string; resourceVersion?: string }; orphanDependents?: boolean; propagationPolicy?: string; dryRun?: string[] };
  return {
    ok: true,
    options: {
      ...(d.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: d.gracePeriodSeconds } : {}),
      ...(d.preconditions !== undefined ? { preconditions: d.preconditions } : {}),
      ...(d.orphanDependents !== undefined ? { orphanDependents: d.orphanDependents } : {}),
      ...(d.propagationPolicy !== undefined ? { propagationPolicy: d.propagationPolicy } : {}),
      dryRun: d.dryRun ?? [],
    },
  };
}

/** url.Values → v1.DeleteOptions (the generated conversion): only these four come from a query. */
function fromQuery(query: QueryParameters): DeleteOptionsOutcome {
  const options: DeleteOptions = { dryRun: [...(query.get('dryRun') ?? [])] };
  const grace = query.get('gracePeriodSeconds');
  if (grace?.length) {
    const n = goParseInt64(grace[0]);
    if (typeof n === 'string') return badRequest(n);
    options.gracePeriodSeconds = n;
  }
  const orphan = query.get('orphanDependents');
  // Convert_Slice_string_To_Pointer_bool: "0" and "false" (any case) are false, anything else true.
  if (orphan?.length) options.orphanDependents = !(orphan[0] === '0' || orphan[0].toLowerCase() === 'false');
  const policy = query.get('propagationPolicy');
  if (policy?.length) options.propagationPolicy = policy[0];
  return { ok: true, options };
}

export function deleteOptionsFrom(body: Buffer, contentType: string | undefined, query: QueryParameters): DeleteOptionsOutcome {
  if (body.length === 0) return fromQuery(query);
  const input = negotiateInput(contentType);
  if (input === null || input === 'protobuf') return { ok: false, kind: 'unsupportedMediaType' };
  const text = bodyAsJsonText(input, body);
  if (typeof text !== 'string') return badRequest(text.yamlError);
  return decodeBody(text);
}

const propagationPolicies: readonly string[] = ['Foreground', 'Background', 'Orphan'];

/** ValidateDeleteOptions, in its order. */
export function validateDeleteOptions(o: DeleteOptions): FieldErrorList {
  const errs: FieldErrorList = [];
  if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined) {
    errs.push(invalid('propagationPolicy', str(o.propagationPolicy), 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (o.propagationPolicy !== undefined && !propagationPolicies.includes(o.propagationPolicy)) {
    errs.push(notSupported('propagationPolicy', str(o.propagationPolicy), [...propagationPolicies, 'nil']));
  }
  if (o.dryRun.some((v) => v !== 'All')) errs.push(notSupported('dryRun', { go: 'stringList', value: o.dryRun }, ['All']));
  return errs;
}

export function isDryRunDelete(o: DeleteOptions): boolean {
  return o.dryRun.length > 0;
}
